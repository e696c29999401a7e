using System.Globalization;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Calculator;

namespace Moltworker.Plugins.Tests.Calculator;

/// <summary>Property-style tests: random expression trees printed as text must evaluate to the value computed
/// from the tree directly; random junk must only ever produce a ToolException.</summary>
public class CalculatorPropertyTests
{
    private abstract record Node
    {
        public abstract double Value { get; }
        public abstract string Text(Random random);
    }

    private sealed record Num(double N) : Node
    {
        public override double Value => N;
        public override string Text(Random random) => N.ToString("R", CultureInfo.InvariantCulture);
    }

    private sealed record Neg(Node Inner) : Node
    {
        public override double Value => -Inner.Value;
        public override string Text(Random random) => $"-({Inner.Text(random)})";
    }

    private sealed record Bin(char Op, Node Left, Node Right) : Node
    {
        public override double Value => Op switch
        {
            '+' => Left.Value + Right.Value, '-' => Left.Value - Right.Value, '*' => Left.Value * Right.Value,
            '/' => Left.Value / Right.Value, _ => throw new InvalidOperationException(),
        };

        // Fully parenthesised, with random spacing, so the printed text has exactly this tree's meaning.
        public override string Text(Random random) =>
            $"({Left.Text(random)}{Space(random)}{Op}{Space(random)}{Right.Text(random)})";

        private static string Space(Random random) => random.Next(3) switch { 0 => "", 1 => " ", _ => "  " };
    }

    private sealed record Fn(string Name, Node Arg) : Node
    {
        public override double Value => Name switch { "abs" => Math.Abs(Arg.Value), "floor" => Math.Floor(Arg.Value), _ => Math.Ceiling(Arg.Value) };
        public override string Text(Random random) => $"{Name}({Arg.Text(random)})";
    }

    private static Node Tree(Random random, int depth)
    {
        if (depth == 0 || random.Next(4) == 0) return new Num(random.Next(0, 1000) / (double)random.Next(1, 20));
        return random.Next(6) switch
        {
            0 => new Neg(Tree(random, depth - 1)),
            1 => new Fn(new[] { "abs", "floor", "ceil" }[random.Next(3)], Tree(random, depth - 1)),
            _ => new Bin("+-*/"[random.Next(4)], Tree(random, depth - 1), Tree(random, depth - 1)),
        };
    }

    [Fact]
    public void Random_expressions_evaluate_to_their_tree_value()
    {
        var random = new Random(20261121);
        var checkedCount = 0;
        for (var i = 0; i < 2000; i++)
        {
            var tree = Tree(random, 5);
            var expected = tree.Value;
            var text = tree.Text(random);
            if (double.IsNaN(expected) || double.IsInfinity(expected) || text.Length > ExpressionEvaluator.MaxLength) continue;
            double actual;
            try
            {
                actual = ExpressionEvaluator.Evaluate(text);
            }
            catch (ToolException ex) when (ex.Message.Contains("division by zero"))
            {
                continue;
            }
            Assert.True(expected == actual || Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{text}: expected {expected}, got {actual}");
            checkedCount++;
        }
        Assert.True(checkedCount > 1000, $"only {checkedCount} expressions checked");
    }

    [Fact]
    public void Precedence_matches_the_conventional_rules()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            double a = random.Next(1, 50), b = random.Next(1, 50), c = random.Next(1, 50);
            string A = a.ToString(CultureInfo.InvariantCulture), B = b.ToString(CultureInfo.InvariantCulture), C = c.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(a + b * c, ExpressionEvaluator.Evaluate($"{A} + {B} * {C}"));
            Assert.Equal(a - b - c, ExpressionEvaluator.Evaluate($"{A} - {B} - {C}"));
            Assert.Equal(a / b / c, ExpressionEvaluator.Evaluate($"{A} / {B} / {C}"), 12);
            Assert.Equal(a * b % c, ExpressionEvaluator.Evaluate($"{A} * {B} % {C}"));
            Assert.Equal(-Math.Pow(a % 5, b % 4), ExpressionEvaluator.Evaluate($"-{a % 5} ^ {b % 4}"));
            Assert.Equal(Math.Pow(2, Math.Pow(b % 3, c % 3)), ExpressionEvaluator.Evaluate($"2 ^ {b % 3} ^ {c % 3}"));
        }
    }

    [Fact]
    public void Random_junk_never_throws_anything_but_a_tool_exception()
    {
        const string alphabet = "0123456789.+-*/%^()e,  abcdefghijklmnopqrstuvwxyz_;\"'{}[]=!&|<>$#@\\×÷−";
        var random = new Random(42);
        for (var i = 0; i < 5000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            try
            {
                var value = ExpressionEvaluator.Evaluate(text);
                Assert.False(double.IsNaN(value) || double.IsInfinity(value), text);
            }
            catch (ToolException)
            {
                // A readable refusal is the only acceptable failure.
            }
        }
    }
}
