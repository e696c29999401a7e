using System.Text;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>What one <c>browse_url</c> call read: the final URL, the document's status, its text (already capped),
/// what the SSRF guard blocked, refused downloads, whether the network went idle, and an optional JPEG screenshot.</summary>
internal sealed record BrowseResult(
    Uri Url,
    int? Status,
    string Text,
    bool Cut,
    int MaxChars,
    bool Settled,
    TimeSpan SettleTime,
    IReadOnlyList<string> Blocked,
    IReadOnlyList<string> Downloads,
    byte[]? Screenshot)
{
    public string Format()
    {
        var text = new StringBuilder().Append("URL: ").Append(Url.AbsoluteUri).Append('\n');
        if (Status is { } status) text.Append("Status: ").Append(status).Append('\n');
        if (!Settled)
            text.Append("Note: the page was still loading after ").Append(Math.Ceiling(SettleTime.TotalSeconds))
                .Append(" s; this is its text at that moment.\n");
        if (Blocked.Count > 0)
        {
            text.Append("Blocked by the SSRF guard (").Append(Blocked.Count).Append(Blocked.Count == 1 ? " request" : " requests").Append("):\n");
            foreach (var entry in Blocked) text.Append("- ").Append(entry).Append('\n');
        }
        foreach (var download in Downloads) text.Append("Refused a download (nothing saved): ").Append(download).Append('\n');
        if (Screenshot is { } png) text.Append("Screenshot: image/jpeg, ").Append(png.Length).Append(" bytes\n");
        text.Append('\n').Append(Text);
        if (Cut) text.Append("\n\n[truncated: showing the first ").Append(MaxChars).Append(" characters]");
        return text.ToString();
    }
}
