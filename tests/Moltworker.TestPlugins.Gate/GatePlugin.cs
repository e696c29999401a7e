using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.TestPlugins.Gate;

/// <summary>
/// <c>/gate</c> reports "entered" through a <c>TaskCompletionSource&lt;string&gt;</c> the test registered in the host's
/// services, waits for the test's <c>TaskCompletionSource</c>, then answers with its own assembly version.
/// (Both types come from the runtime, which host and plugin share.)
/// </summary>
[Plugin("Gate")]
public sealed class GatePlugin(IServiceProvider services)
{
    [Tool("gate_version", Command = true, CommandName = "gate")]
    [Description("Waits for the test's signal, then tells which build of the plugin answered.")]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var version = typeof(GatePlugin).Assembly.GetName().Version!.ToString(2);
        (services.GetService(typeof(TaskCompletionSource<string>)) as TaskCompletionSource<string>)?.TrySetResult(version);
        if (services.GetService(typeof(TaskCompletionSource)) is TaskCompletionSource release) await release.Task.WaitAsync(cancellationToken);
        return $"gate version {version}";
    }
}
