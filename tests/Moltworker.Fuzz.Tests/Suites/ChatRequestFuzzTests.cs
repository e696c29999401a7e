using System.Text.Json;
using CsCheck;
using Moltworker.Fuzz.Tests.Support;
using Moltworker.Host.Endpoints;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>/api/chat bodies as the endpoint reads them (System.Text.Json with the web defaults, as minimal APIs do,
/// then <see cref="ChatApi.Problem"/>). Refusals: a JsonException (ASP.NET answers 400) or the endpoint's reason.</summary>
public sealed class ChatRequestFuzzTests(ITestOutputHelper output)
{
    private const string Valid = """{"chatId":"c1","userId":"u","text":"hello","messageId":"m-1"}""";

    internal static void HandledOrRefused(string json)
    {
        ChatApi.ChatRequest? request;
        try { request = JsonSerializer.Deserialize<ChatApi.ChatRequest>(json, JsonSerializerOptions.Web); }
        catch (JsonException ex) { Refusal.AssertReason(ex.Message); return; }
        if (ChatApi.Problem(request) is { } problem) { Refusal.AssertReason(problem); return; }
        Assert.False(string.IsNullOrWhiteSpace(request!.Text));
    }

    private static readonly Gen<string> Structured =
        from text in Gen.OneOf<string>(TextGen.Text(20), Gen.Const(""), Gen.Const("   "))
        from messageId in Gen.OneOf<string?>(Gen.Const((string?)null), Gen.Char[' ', '~'].Array[0, 250].Select(a => (string?)new string(a)))
        from chatId in Gen.OneOf<string?>(Gen.Const((string?)null), TextGen.Text(5).Select(s => (string?)s))
        select JsonSerializer.Serialize(new { chatId, text, messageId });

    [Fact]
    public void Generated_bodies_are_handled_or_refused() =>
        Fuzzing.Run("api-chat-body (generated)", Structured, HandledOrRefused, output);

    [Fact]
    public void Mutated_bodies_are_handled_or_refused() =>
        Fuzzing.Run("api-chat-body (mutated)", JsonMutator.Mutants(Valid), HandledOrRefused, output);
}
