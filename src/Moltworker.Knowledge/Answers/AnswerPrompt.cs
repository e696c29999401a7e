using System.Text;
using Microsoft.Extensions.AI;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Answers;

/// <summary>The messages that ask the model for an <see cref="AnswerPackage"/> as JSON, over numbered passages.</summary>
public static class AnswerPrompt
{
    public const string System = """
        You answer questions from the numbered passages of a knowledge base, and from nothing else.
        Reply with one JSON object and no other text:
        {"summary": "two or three sentences that answer the question",
         "key_points": [{"text": "one fact, with its source marker like [2]", "citations": [2]}],
         "action_items": ["a step the reader should take [3]"]}
        Every key point cites the passages it rests on, by their numbers. Give action_items only when the question
        asks what to do or how to do something; otherwise an empty list. If the passages do not answer the question,
        say so in the summary and leave key_points empty.
        """;

    public static List<ChatMessage> Messages(string question, IReadOnlyList<SearchHit> passages)
    {
        var user = new StringBuilder("Question: ").Append(question).Append("\n\nPassages:\n");
        foreach (var hit in passages)
            user.Append('\n').Append('[').Append(hit.Rank).Append("] ").Append(CitationFormatter.Place(hit)).Append('\n').Append(hit.Chunk.Text.Trim()).Append('\n');
        return [new ChatMessage(ChatRole.System, System), new ChatMessage(ChatRole.User, user.ToString())];
    }
}
