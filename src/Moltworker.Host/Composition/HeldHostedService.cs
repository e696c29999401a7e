using Microsoft.Extensions.Hosting;

namespace Moltworker.Host.Composition;

/// <summary>A hosted service started only once the <see cref="StartupHold"/> opens; stopped as usual (or not at all if
/// the host stops before that).</summary>
public sealed class HeldHostedService(IHostedService inner, StartupHold hold) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task<bool> _started = Task.FromResult(false);

    /// <summary>The service this one holds.</summary>
    public IHostedService Inner => inner;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = StartWhenOpenAsync();
        return Task.CompletedTask;
    }

    private async Task<bool> StartWhenOpenAsync()
    {
        try { await hold.Opened.WaitAsync(_stopping.Token); }
        catch (OperationCanceledException) { return false; }
        await inner.StartAsync(_stopping.Token);
        return true;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        bool started;
        try { started = await _started; }
        catch (OperationCanceledException) { started = true; } // cancelled while starting: let it stop what it began
        if (started) await inner.StopAsync(cancellationToken);
    }
}
