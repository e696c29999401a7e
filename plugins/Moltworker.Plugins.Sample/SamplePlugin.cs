using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.Sample;

/// <summary>
/// A plugin is a plain Semantic Kernel plugin class. Each public method marked <c>[KernelFunction]</c> becomes a tool the
/// model can call; <c>[Description]</c>s on the method and its parameters are what the model reads to decide when and
/// how. <c>[ToolSafety]</c> beside it declares what Moltworker may do with the call (without it: side-effecting).
/// The constructor gets services from the host's DI container (here the clock) and the bound options class.
/// </summary>
[Plugin("Sample", Description = "A small example to copy: a greeting command and a word counter")]
public sealed class SamplePlugin
{
#if SAMPLE_EDITION_2
    /// <summary>Shown in the greeting so a reload is visible (the tests build edition 2 with -p:SampleEdition=2).</summary>
    public const int Edition = 2;
#else
    /// <summary>Shown in the greeting so a reload is visible (the tests build edition 2 with -p:SampleEdition=2).</summary>
    public const int Edition = 1;
#endif

    private readonly SampleOptions _options;
    private readonly TimeProvider _time;

    public SamplePlugin(SampleOptions options, TimeProvider time)
    {
        // Check settings here: an exception makes the plugin show up as failed (log, /healthz, /plugins) with this
        // message, and the host and every other plugin carry on.
        if (string.IsNullOrWhiteSpace(options.Greeting))
            throw new ArgumentException("Moltworker:Plugins:Sample:Greeting must not be empty");
        _options = options;
        _time = time;
    }

    /// <summary>Offered to the model as <c>sample_greet</c> and to chat users as <c>/greet Ada</c>.
    /// Read-only, but not marked parallel-safe, so it runs on its own.</summary>
    [KernelFunction("sample_greet")]
    [ToolSafety(SideEffects = false, Command = true, CommandName = "greet")]
    [Description("Greets a person by name. Use it when the user asks to be greeted or to greet someone.")]
    public string Greet([Description("The name of the person to greet")] string name)
    {
        var hour = _time.GetLocalNow().Hour;
        var part = hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening";
        return $"{_options.Greeting}, {name.Trim()}! (sample plugin edition {Edition}, this {part})";
    }

    /// <summary>A read-only tool: marked parallel-safe, so the model's calls to it in one response may run together.
    /// A <see cref="ToolContext"/> parameter is filled by the kernel and never shown to the model.</summary>
    [KernelFunction("sample_word_count")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, TimeoutSeconds = 5)]
    [Description("Counts the words, characters and lines of a text.")]
    public WordCount CountWords([Description("The text to count")] string text, ToolContext context)
    {
        if (text.Length > _options.MaxTextLength)
            throw new ToolException($"The text is longer than {_options.MaxTextLength} characters; send a shorter part.");
        context.Progress?.Report("counting");
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var lines = text.Length == 0 ? 0 : text.Count(c => c == '\n') + 1;
        return new WordCount(words, text.Length, lines);
    }
}
