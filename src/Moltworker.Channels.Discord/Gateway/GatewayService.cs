using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Cluster;

namespace Moltworker.Channels.Discord.Gateway;

/// <summary>
/// The <c>Gateway</c> transport: INTERACTION_CREATE goes through the same <see cref="InteractionProcessor"/> as
/// the HTTP endpoint; its immediate answer is sent with the interaction callback REST call.
/// With several hosts on one database, the connection runs on the leader only (<see cref="LeaderGate"/>): it is opened
/// when this host becomes the leader and closed when it stops being it.
/// </summary>
public sealed partial class GatewayService(
    GatewayClient client,
    InteractionProcessor processor,
    DiscordRestClient rest,
    InteractionAcks acks,
    ILogger<GatewayService> logger,
    LeaderGate? leader = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken lost;
            try { lost = leader is null ? CancellationToken.None : await leader.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
            try
            {
                await client.RunAsync((type, data) =>
                {
                    if (type == "INTERACTION_CREATE") _ = HandleAsync(data, stoppingToken);
                    return Task.CompletedTask;
                }, term.Token);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                // Stopping, or no longer the leader (then wait to be it again).
                continue;
            }
            catch (GatewayFatalException)
            {
                // Logged by the client; the gateway stays down until the configuration is fixed.
            }
            return;
        }
    }

    /// <summary>Answers one interaction from the gateway. Public for tests.</summary>
    public async Task HandleAsync(JsonElement data, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await processor.ProcessAsync(data.GetRawText(), cancellationToken);
            if (outcome.IsMalformed) return; // logged by the processor; there is no one to answer 400 to
            var id = data.GetProperty("id").GetString()!;
            var token = data.GetProperty("token").GetString()!;
            try { await rest.CreateInteractionResponseAsync(id, token, outcome.Response!, cancellationToken); }
            finally { if (outcome.QueuedInteractionId is { } q) acks.Complete(q); }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering a Discord interaction from the gateway failed")]
    private partial void LogFailed(Exception ex);
}
