using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary><c>Moltworker:Plugins:GitHub</c></summary>
[PluginOptions]
public sealed class GitHubOptions
{
    /// <summary>GitHub REST API root; for GitHub Enterprise <c>https://host/api/v3</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.github.com";

    /// <summary>A personal access token (fine-grained or classic). Reads of public repositories work without one;
    /// <c>github_api</c> needs it. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>"owner/name" used when a call names no repository.</summary>
    public string? DefaultRepository { get; set; }

    /// <summary>Marks <c>github_api</c> as needing a person's approval: its calls wait for one, except GET calls (the default approval policy, see docs/approvals.md).</summary>
    public bool ApiNeedsApproval { get; set; } = true;

    /// <summary>Characters of file content or API response handed to the model at most.</summary>
    public int MaxChars { get; set; } = 20_000;

    /// <summary>The <c>User-Agent</c> header (GitHub requires one).</summary>
    public string UserAgent { get; set; } = "Moltworker";
    /// <summary>Limit of one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>A larger answer is refused, not parsed.</summary>
    public long MaxResponseBytes { get; set; } = 2 * 1024 * 1024;
}
