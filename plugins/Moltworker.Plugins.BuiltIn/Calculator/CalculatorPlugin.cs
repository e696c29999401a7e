using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Calculator;

/// <summary><c>calculate</c>: exact-enough arithmetic so the model does not guess. A safe evaluator, no code execution.</summary>
[Plugin("Calculator", Description = "Evaluates arithmetic expressions.")]
public sealed class CalculatorPlugin
{
    [KernelFunction("calculate")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "calc")]
    [Description("Evaluates an arithmetic expression: numbers, + - * / % ^, parentheses, pi, e and sqrt, abs, round(x[,digits]), floor, ceil, min, max, exp, ln, log, log2, sin, cos, tan.")]
    public string Calculate([Description("The expression, e.g. \"(3 + 4) * 2 ^ 3 / sqrt(16)\"")] string expression)
    {
        var value = ExpressionEvaluator.Evaluate(expression ?? "");
        return $"{expression!.Trim()} = {Format(value)}";
    }

    internal static string Format(double value)
    {
        if (value == 0) return "0";
        var rounded = Math.Round(value, 12);
        return Math.Abs(rounded) is >= 1e-6 and < 1e15
            ? rounded.ToString("0.############", CultureInfo.InvariantCulture)
            : value.ToString("G15", CultureInfo.InvariantCulture);
    }
}
