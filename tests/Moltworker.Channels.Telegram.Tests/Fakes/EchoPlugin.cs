using System.Collections.Concurrent;
using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>A test plugin whose tools are offered as commands: one echoes, one waits for a gate the test opens.</summary>
[Plugin("TestEcho")]
public sealed class EchoPlugin
{

    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static TaskCompletionSource Gate(string name) => Gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    [Tool("echo_text", Command = true, ParallelSafe = true)]
    [Description("Repeats the text.")]
    public string Echo([Description("The text to repeat.")] string text) => "echo: " + text;

    [Tool("wait_gate", Command = true, CommandName = "Wait.Gate")]
    [Description("Waits until the test opens the named gate.")]
    public async Task<string> WaitAsync([Description("Gate name.")] string name, CancellationToken cancellationToken)
    {
        await Gate(name).Task.WaitAsync(cancellationToken);
        return "opened: " + name;
    }
}
