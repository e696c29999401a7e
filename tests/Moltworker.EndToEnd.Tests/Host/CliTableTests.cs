using Moltworker.Host.Cli;
using Spectre.Console;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>The verbs' tables: plain aligned text when stdout is not a terminal, Spectre's bordered table on one.</summary>
public sealed class CliTableTests
{
    private static CliTable Sample() => new CliTable("ID", "STATUS", "LAST ERROR")
        .AddRow("t-1", "Completed", null)
        .AddRow("task-22", "Failed", "[red] is not markup\nand this line joins it");

    [Fact]
    public void Off_a_terminal_the_columns_line_up_two_spaces_apart_with_nothing_else()
    {
        using var output = new StringWriter();
        Sample().WritePlain(output);

        Assert.Equal(
            [
                "ID       STATUS     LAST ERROR",
                "t-1      Completed",
                "task-22  Failed     [red] is not markup and this line joins it",
            ],
            output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_wide_row_stays_on_one_line_off_a_terminal_and_an_empty_table_prints_its_headers()
    {
        var wide = string.Join(' ', Enumerable.Repeat("word", 400));
        using var output = new StringWriter();
        new CliTable("A", "B").AddRow("x", wide).WritePlain(output);
        Assert.Equal(["A  B", "x  " + wide], output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));

        using var empty = new StringWriter();
        new CliTable("ID", "STATUS").WritePlain(empty);
        Assert.Equal("ID  STATUS" + Environment.NewLine, empty.ToString());
    }

    [Fact]
    public void On_a_terminal_it_is_a_bordered_table_that_wraps_to_the_width()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 40;
        Sample().WriteStyled(console);

        var text = output.ToString();
        Assert.Contains("\u001b[1m", text); // bold headers
        Assert.Contains("╭", text);
        var visible = System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "").ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.All(visible, line => Assert.True(line.Length <= 40, $"wider than the terminal: {line}"));
        Assert.Contains(visible, line => line.Contains("task-22", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, 5, "")]
    [InlineData("short", 5, "short")]
    [InlineData("longer text", 5, "long…")]
    public void Clip_keeps_at_most_the_given_length(string? text, int max, string expected) =>
        Assert.Equal(expected, CliTable.Clip(text, max));
}
