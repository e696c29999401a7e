using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Rest;

namespace Moltworker.Channels.Discord.Gateway;

/// <summary>
/// The <c>Gateway</c> transport: INTERACTION_CREATE goes through the same <see cref="InteractionProcessor"/> as
/// the HTTP endpoint; its immediate answer is sent with the interaction callback REST call.
/// </summary>
public sealed partial class GatewayService(
    GatewayClient client,
    InteractionProcessor processor,
    DiscordRestClient rest,
    InteractionAcks acks,
    ILogger<GatewayService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await client.RunAsync((type, data) =>
            {
                if (type == "INTERACTION_CREATE") _ = HandleAsync(data, stoppingToken);
                return Task.CompletedTask;
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (GatewayFatalException)
        {
            // Logged by the client; the gateway stays down until the configuration is fixed.
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
