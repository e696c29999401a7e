using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord.Hosting;

/// <summary>The <c>discord</c> entry of <c>/healthz</c>: transport, and for the gateway its connection state;
/// <c>rejectedUpdates</c> counts refused interactions and skipped gateway payloads.</summary>
public sealed class DiscordHealth(IOptions<DiscordOptions> options, GatewayClient gateway, RejectedIntake rejected) : IHealthContributor
{
    public string Name => "discord";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Transport == DiscordTransport.Http)
        {
            var ok = !string.IsNullOrWhiteSpace(o.PublicKey);
            return Task.FromResult(new HealthEntry(ok, new { transport = "http", rejectedUpdates = rejected.Count(InteractionProcessor.InboxSource) },
                ok ? null : "Set Moltworker:Discord:PublicKey (hex, from the developer portal) or the endpoint refuses everything."));
        }
        var s = gateway.Status;
        return Task.FromResult(new HealthEntry(s.Fatal is null && s.Ready,
            new { transport = "gateway", s.Connected, s.Ready, s.Connections, s.LastCloseCode, s.HeartbeatAcks,
                rejectedUpdates = rejected.Count(InteractionProcessor.InboxSource) + s.RejectedEvents },
            s.Fatal is { } f ? $"Gateway stopped: {f}" : null));
    }
}
