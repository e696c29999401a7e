using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Tests.Fakes;

[PluginOptions]
public sealed class EchoOptions { public string Prefix { get; set; } = "echo"; }

public sealed class EchoPlugin(EchoOptions options)
{
    public static int Calls;

    [Tool("echo", ParallelSafe = true, Command = true), Description("Echo the text back")]
    public string Echo([Description("What to echo")] string text, ToolContext context)
    {
        Interlocked.Increment(ref Calls);
        return $"{options.Prefix}: {text} ({context.CallId})";
    }

    [Tool("add", ParallelSafe = true, Command = true), Description("Add two integers")]
    public long Add(long a, long b) => a + b;
}

public sealed class FaultyPlugin
{
    [Tool("explode"), Description("Always throws")]
    public string Explode() => throw new InvalidOperationException("kaboom");

    [Tool("polite_failure"), Description("Fails with a message for the model")]
    public string PoliteFailure() => throw new ToolException("the upstream said no");

    [Tool("big", ParallelSafe = true), Description("Returns a very long text")]
    public string Big() => new('x', 100_000);
}

public sealed class BrokenCtorPlugin
{
    public BrokenCtorPlugin() => throw new InvalidOperationException("cannot start");

    [Tool("never"), Description("Never available")]
    public string Never() => "";
}

/// <summary>Offers a tool named like EchoPlugin's to test clash prefixing.</summary>
[Plugin("Other")]
public sealed class ClashingPlugin
{
    [Tool("echo"), Description("Another echo")]
    public string Echo(string text) => $"other: {text}";
}
