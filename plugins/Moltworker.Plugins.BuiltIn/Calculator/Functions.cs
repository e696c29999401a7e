namespace Moltworker.Plugins.BuiltIn.Calculator;

/// <summary>The fixed table of functions the calculator knows.</summary>
internal static class Functions
{
    private static readonly Dictionary<string, (int Min, int Max, Func<IReadOnlyList<double>, double> Run)> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sqrt"] = (1, 1, a => a[0] < 0 ? throw ExpressionEvaluator.Fail("square root of a negative number") : Math.Sqrt(a[0])),
        ["abs"] = (1, 1, a => Math.Abs(a[0])),
        ["round"] = (1, 2, a => Math.Round(a[0], a.Count > 1 ? Digits(a[1]) : 0, MidpointRounding.AwayFromZero)),
        ["floor"] = (1, 1, a => Math.Floor(a[0])),
        ["ceil"] = (1, 1, a => Math.Ceiling(a[0])),
        ["min"] = (1, 100, a => a.Min()),
        ["max"] = (1, 100, a => a.Max()),
        ["exp"] = (1, 1, a => Math.Exp(a[0])),
        ["ln"] = (1, 1, a => a[0] <= 0 ? throw ExpressionEvaluator.Fail("logarithm of a number ≤ 0") : Math.Log(a[0])),
        ["log"] = (1, 1, a => a[0] <= 0 ? throw ExpressionEvaluator.Fail("logarithm of a number ≤ 0") : Math.Log10(a[0])),
        ["log2"] = (1, 1, a => a[0] <= 0 ? throw ExpressionEvaluator.Fail("logarithm of a number ≤ 0") : Math.Log2(a[0])),
        ["sin"] = (1, 1, a => Math.Sin(a[0])),
        ["cos"] = (1, 1, a => Math.Cos(a[0])),
        ["tan"] = (1, 1, a => Math.Tan(a[0])),
    };

    public static string List => string.Join(", ", Table.Keys);

    public static bool Known(string name) => Table.ContainsKey(name);

    public static double Call(string name, IReadOnlyList<double> args)
    {
        var (min, max, run) = Table[name];
        if (args.Count < min || args.Count > max)
            throw ExpressionEvaluator.Fail(min == max ? $"{name} takes {min} argument(s)" : $"{name} takes {min} to {max} arguments");
        return run(args);
    }

    private static int Digits(double value) =>
        value is >= 0 and <= 15 && value == Math.Floor(value) ? (int)value : throw ExpressionEvaluator.Fail("round's digits must be a whole number from 0 to 15");
}
