namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Prompts</c></summary>
public sealed class PromptOptions
{
    /// <summary>Folder of the Markdown prompts; resolved against the content root at start.</summary>
    public string Directory { get; set; } = "prompts";
}
