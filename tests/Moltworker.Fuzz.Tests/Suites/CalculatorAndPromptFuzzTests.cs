using CsCheck;
using Moltworker.Abstractions;
using Moltworker.Fuzz.Tests.Support;
using Moltworker.Kernel.Prompts;
using Moltworker.Plugins.BuiltIn.Calculator;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>The calculator's expressions (an answer, or a <see cref="ToolException"/> "cannot calculate: …") and the YAML
/// front matter of prompts (a document, or a <see cref="FormatException"/> naming the prompt).</summary>
public sealed class CalculatorAndPromptFuzzTests(ITestOutputHelper output)
{
    private static readonly CalculatorPlugin Calculator = new();

    private static readonly Gen<string> Expressions = Gen.OneOf<string>(
        Gen.OneOf<string>("1", "2.5", "1e308", "-", "+", "*", "/", "%", "^", "**", "(", ")", ",", " ", "pi", "e", "tau", "sqrt(", "round(", "max(",
                "log(", "sin(", "x", "1.2.3", "0", "9999999999999999999999", ".", "e5", "\u00E9", "😀")
            .Array[0, 24].Select(parts => string.Concat(parts)),
        Gen.Int[1, 200].Select(n => new string('(', n) + "1" + new string(')', n)),
        Gen.Int[1, 200].Select(n => string.Concat(Enumerable.Repeat("-", n)) + "1"));

    internal static void Calculated_or_refused(string expression) =>
        Refusal.HandledOrRefused<ToolException>(() => Assert.Contains(" = ", Calculator.Calculate(expression)));

    private static readonly Gen<string> Yaml =
        from header in Gen.OneOf<string>("---\n", "---\r\n", "--\n", "")
        from lines in Gen.OneOf<string>(
            Gen.OneOf<string>("name: a", "description: \"x\"", "phases: [plan, work]", "tools:\n  - a\n  - b", "budget: {tokens: 5}",
                "- list", "key: [", "key: {", "&a x", "*a", "!!binary abc", "? complex", "key: |\n  multi", "\t bad indent", ": no key", "a: b: c", "'"),
            TextGen.Text(12)).Array[0, 6]
        from footer in Gen.OneOf<string>("\n---\nBody text", "\n---", "\n--\nBody", "")
        select header + string.Join("\n", lines) + footer;

    internal static void Prompt_parsed_or_refused(string text) =>
        Refusal.HandledOrRefused<FormatException>(() => FrontMatterParser.Parse("fuzz", text));

    [Fact]
    public void Expressions_are_calculated_or_refused() =>
        Fuzzing.Run("calculator-expression", Expressions, Calculated_or_refused, output);

    [Fact]
    public void Prompt_front_matter_is_parsed_or_refused() =>
        Fuzzing.Run("prompt-front-matter", Yaml, Prompt_parsed_or_refused, output);
}
