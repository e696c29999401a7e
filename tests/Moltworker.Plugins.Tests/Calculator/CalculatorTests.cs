using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Calculator;

namespace Moltworker.Plugins.Tests.Calculator;

public class CalculatorTests
{
    private static readonly CalculatorPlugin Plugin = new();

    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("2 ^ 3 ^ 2", "512")]
    [InlineData("2 ** 10", "1024")]
    [InlineData("-2 ^ 2", "-4")]
    [InlineData("(-2) ^ 2", "4")]
    [InlineData("2 ^ -1", "0.5")]
    [InlineData("--3", "3")]
    [InlineData("10 % 4", "2")]
    [InlineData("7 / 2", "3.5")]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("sqrt(16) + abs(-3)", "7")]
    [InlineData("round(2.5)", "3")]
    [InlineData("round(3.14159, 2)", "3.14")]
    [InlineData("min(4, 2, 8) + max(1, 9)", "11")]
    [InlineData("floor(2.7) + ceil(2.1)", "5")]
    [InlineData("2 * pi", "6.28318530718")]
    [InlineData("1e3 + 1_000", "2000")]
    [InlineData("log(1000) + ln(e)", "4")]
    [InlineData("6 × 7 ÷ 2", "21")]
    [InlineData("1e20 * 10", "1E+21")]
    public void Evaluates(string expression, string expected) =>
        Assert.Equal($"{expression} = {expected}", Plugin.Calculate(expression));

    [Theory]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("5 % 0", "modulo by zero")]
    [InlineData("sqrt(-1)", "negative")]
    [InlineData("1 +", "ends too early")]
    [InlineData("(1 + 2", "missing \")\"")]
    [InlineData("1 + 2)", "unexpected \")\" at position 6")]
    [InlineData("foo(1)", "unknown name \"foo\"")]
    [InlineData("System.IO.File.Delete(\"x\")", "unknown name \"System\"")]
    [InlineData("x = 5", "unknown name \"x\"")]
    [InlineData("1 ; rm -rf /", "unexpected \";\"")]
    [InlineData("10 ^ 400", "too large")]
    [InlineData("", "ends too early")]
    [InlineData("max()", "unexpected \")\"")]
    [InlineData("sqrt(1, 2)", "sqrt takes 1 argument")]
    [InlineData("round(1.5, 0.5)", "whole number")]
    public void Refuses_with_a_reason(string expression, string reason)
    {
        var ex = Assert.Throws<ToolException>(() => Plugin.Calculate(expression));
        Assert.StartsWith("cannot calculate: ", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Caps_nesting_depth_and_length()
    {
        Assert.Contains("nested deeper", Assert.Throws<ToolException>(() => Plugin.Calculate(new string((char)40, 200) + "1" + new string((char)41, 200))).Message);
        Assert.Contains("nested deeper", Assert.Throws<ToolException>(() => Plugin.Calculate(new string('-', 900) + "1")).Message);
        Assert.Contains("longer than", Assert.Throws<ToolException>(() => Plugin.Calculate(string.Join("+", Enumerable.Repeat("1", 600)))).Message);
    }
}
