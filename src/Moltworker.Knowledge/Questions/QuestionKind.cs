namespace Moltworker.Knowledge.Questions;

/// <summary>What a query asks for, read from its first words.</summary>
public enum QuestionKind
{
    /// <summary>Keywords, or a question of no recognised shape.</summary>
    Keywords,

    /// <summary>"what is X", "what are X", "what's X", "define X", "what does X mean".</summary>
    Definition,

    /// <summary>"how do I …", "how can I …", "how to …".</summary>
    HowTo,

    /// <summary>"why does …", "why is …".</summary>
    Why,
}
