using Moltworker.Fuzz.Tests.Suites;

namespace Moltworker.Fuzz.Tests.Regressions;

/// <summary>Cases the fuzz suites (or the issue) found, fixed and kept: each runs the suite's own property.</summary>
public sealed class SavedCases
{
    [Theory]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":{"id":-5,"type":"group"},"text":"hello @molt_bot","entities":[{"type":"mention","offset":0,"length":-1}]}}""")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":{"id":-5,"type":"group"},"text":"hello @molt_bot","entities":[{"type":"mention","offset":2147483647,"length":2147483647}]}}""")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":null,"text":"hello"}}""")]
    [InlineData("""{"update_id":1,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":{"id":-5,"type":"group"},"text":"hi @molt_bot","entities":[null]}}""")]
    [InlineData("""{"update_id":7,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":{"id":-5,"type":"group"},"date":21474836147483648,"text":"hi"}}""")] // fuzz: a date past DateTime.MaxValue (ArgumentOutOfRangeException before)
    public void Telegram_update(string json) => TelegramUpdateFuzzTests.HandledOrRefused(json);

    [Theory]
    [InlineData("""{"id":"1","type":"2","token":"t"}""")]
    [InlineData("""{"id":"1","type":2,"token":"t","member":{"user":{"id":"5"},"roles":[1,null]},"data":{"name":"ask"}}""")]
    [InlineData("""{"id":"1","type":2,"token":"t","user":{"id":"5"},"data":{"name":"ask","options":[{"name":"p","type":"3"}]}}""")]
    [InlineData("{\"id\":\"1\",\"type\":1,\"x\":\"\uDE00\"}")] // fuzz: a lone surrogate in the text (ArgumentException before)
    [InlineData("""{"id":"\ud800","type":1}""")] // fuzz: an escaped unpaired surrogate (GetString threw)
    public void Discord_interaction(string json) => DiscordFuzzTests.Interaction_handled_or_refused(json);

    [Theory]
    [InlineData("""{"t":"INTERACTION_CREATE","d":{}}""")]
    [InlineData("""{"op":0,"s":1,"d":{}}""")]
    [InlineData("""{"op":"0"}""")]
    [InlineData("{\"op\":0,\"t\":\"\uD83D\"}")] // fuzz: a lone surrogate in the text
    public void Discord_gateway_payload(string text) => DiscordFuzzTests.Frame_handled_or_refused(text);

    [Theory]
    [InlineData("null")]
    [InlineData("""{"text":"hi","messageId":""}""")]
    public void Chat_request(string json) => ChatRequestFuzzTests.HandledOrRefused(json);

    [Theory]
    [InlineData("😀😀😀 **b** 😀", 64)] // fuzz: the smallest limit the splitter takes, with pairs at the cut
    [InlineData(">> **b** `x&y<z`", 64)] // fuzz: two quotes around bold and code leave no room for a character (a part of 68 before)
    public void Markdown_parts(string markdown, int limit) => FormattingFuzzTests.Parts_are_valid((markdown, limit));

    [Theory]
    [InlineData("""{"query":"x","mode":"\ud800"}""")] // fuzz: an unpaired surrogate against an enum (DeepEquals threw)
    public void Tool_arguments(string json) => ArgumentFuzzTests.Arguments_valid_or_refused(json);

    [Theory]
    [InlineData("{\"query\":\"\uDE00\"}")] // fuzz: a lone surrogate in the line (ArgumentException before)
    [InlineData("[1]")]
    public void Command_text(string rest) => ArgumentFuzzTests.Command_text_parsed_or_refused(rest);
}
