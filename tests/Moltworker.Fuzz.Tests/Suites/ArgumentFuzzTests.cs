using System.Text.Json;
using CsCheck;
using Moltworker.Fuzz.Tests.Support;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Commands;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>Tool-call arguments against schemas (<see cref="ArgumentValidator"/>: null or a reason, never a throw) and the
/// text after a /command (<see cref="CommandArgumentParser"/>: arguments, or a JsonException the runner turns into
/// "Could not read the arguments").</summary>
public sealed class ArgumentFuzzTests(ITestOutputHelper output)
{
    internal static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"query":{"type":"string"},"top":{"type":"integer"},"ratio":{"type":"number"},
         "exact":{"type":"boolean"},"mode":{"type":"string","enum":["a","b"]},"tags":{"type":"array"},"extra":{"type":"object"}},
         "required":["query"]}
        """).RootElement;

    private const string ValidArguments = """{"query":"cats","top":3,"ratio":0.5,"exact":true,"mode":"a","tags":["x"],"extra":{"k":1}}""";

    internal static void Arguments_valid_or_refused(string json)
    {
        Dictionary<string, JsonElement>? arguments;
        try { arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json); }
        // The model's JSON did not parse (or names an argument with an unpaired surrogate): refused before validation.
        catch (Exception ex) when (ex is JsonException or InvalidOperationException) { Refusal.AssertReason(ex.Message); return; }
        if (arguments is null) return;
        var reason = ArgumentValidator.Validate(Schema, arguments);
        if (reason is not null) Refusal.AssertReason(reason);
    }

    internal static void Command_text_parsed_or_refused(string rest) =>
        Refusal.HandledOrRefused<JsonException>(() => CommandArgumentParser.Parse(rest, Schema));

    private static readonly Gen<string> CommandText = Gen.OneOf<string>(
        TextGen.Text(30),
        JsonMutator.Mutants(ValidArguments),
        from key in Gen.OneOf<string>("query", "top", "ratio", "exact", "mode", "nope", "")
        from value in TextGen.Text(8)
        from more in TextGen.Text(10)
        select $"{key}={value} {more}");

    [Fact]
    public void Mutated_tool_arguments_are_valid_or_refused() =>
        Fuzzing.Run("tool-arguments (mutated)", JsonMutator.Mutants(ValidArguments, """{"query":null}""", "{}"), Arguments_valid_or_refused, output);

    [Fact]
    public void Command_text_is_parsed_or_refused() =>
        Fuzzing.Run("command-arguments", CommandText, Command_text_parsed_or_refused, output);
}
