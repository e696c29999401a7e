using Spectre.Console;
using Spectre.Console.Rendering;

namespace Moltworker.Host.Cli;

/// <summary>
/// A verb's table, drawn by Spectre.Console's <see cref="Table"/>. On a terminal it has rounded borders, bold headers
/// and the terminal's width (long cells wrap inside their column). When stdout is not a terminal (a pipe, a file, the
/// tests) it is plain text for grep, cut and awk: no colours or escape codes, no borders, columns two spaces apart,
/// one line per row (line breaks in a cell become spaces, nothing wraps), no trailing spaces.
/// </summary>
public sealed class CliTable
{
    /// <summary>Wide enough that no table of ours wraps when it is not on a terminal.</summary>
    private const int PlainWidth = 4096;

    private readonly Table _table = new();

    public CliTable(params string[] headers)
    {
        foreach (var header in headers) _table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
    }

    /// <summary>One row, a cell per header; null is an empty cell. Cells are text, never markup.</summary>
    public CliTable AddRow(params string?[] cells)
    {
        _table.AddRow(cells.Select(c => (IRenderable)new Text((c ?? "").ReplaceLineEndings(" "))));
        return this;
    }

    /// <summary>At most <paramref name="max"/> characters, the last one an ellipsis when cut.</summary>
    public static string Clip(string? text, int max) =>
        text is null ? "" : text.Length <= max ? text : text[..Math.Max(0, max - 1)] + "…";

    /// <summary>Writes the table to stdout: styled on a terminal, plain when stdout is redirected.</summary>
    public void Print()
    {
        if (Console.IsOutputRedirected) WritePlain(Console.Out);
        else WriteStyled(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));
    }

    /// <summary>The terminal form, on a console whose capabilities and width Spectre detected (or a test set).</summary>
    public void WriteStyled(IAnsiConsole console)
    {
        _table.Border = TableBorder.Rounded;
        foreach (var column in _table.Columns) column.Padding = new Padding(1, 0, 1, 0);
        console.Write(_table);
    }

    /// <summary>The plain form: aligned columns two spaces apart, no escape codes, no trailing spaces.</summary>
    public void WritePlain(TextWriter writer)
    {
        _table.Border = TableBorder.None;
        for (var i = 0; i < _table.Columns.Count; i++)
            _table.Columns[i].Padding = new Padding(0, 0, i == _table.Columns.Count - 1 ? 0 : 2, 0);
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = PlainWidth;
        console.Write(_table);
        foreach (var line in text.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')) writer.WriteLine(line.TrimEnd());
    }
}
