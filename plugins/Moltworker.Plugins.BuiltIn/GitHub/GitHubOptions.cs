using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary><c>Moltworker:Plugins:GitHub</c></summary>
[PluginOptions]
public sealed class GitHubOptions
{
    public string BaseUrl { get; set; } = "https://api.github.com";

    /// <summary>A personal access token (fine-grained or classic). Reads of public repositories work without one;
    /// <c>github_api</c> needs it. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>"owner/name" used when a call names no repository.</summary>
    public string? DefaultRepository { get; set; }

    /// <summary>Whether each <c>github_api</c> call waits for a person's approval (reads and writes alike).</summary>
    public bool ApiNeedsApproval { get; set; } = true;

    /// <summary>Characters of file content or API response handed to the model at most.</summary>
    public int MaxChars { get; set; } = 20_000;

    public string UserAgent { get; set; } = "Moltworker";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    public long MaxResponseBytes { get; set; } = 2 * 1024 * 1024;
}
