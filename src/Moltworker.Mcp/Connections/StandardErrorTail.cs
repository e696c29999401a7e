namespace Moltworker.Mcp.Connections;

/// <summary>The last line a started server wrote to stderr, to say why it stopped (its stderr is not logged).</summary>
public sealed class StandardErrorTail
{
    private const int MaxChars = 300;
    private string? _last;

    public string? Last => Volatile.Read(ref _last);

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        var trimmed = line.Trim();
        Volatile.Write(ref _last, trimmed.Length > MaxChars ? trimmed[..MaxChars] + "…" : trimmed);
    }

    public void Clear() => Volatile.Write(ref _last, null);
}
