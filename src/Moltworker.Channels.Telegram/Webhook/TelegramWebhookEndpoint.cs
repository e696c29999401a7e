using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Webhook;

/// <summary>
/// POST /telegram/webhook: the secret header is checked in constant time (401 on mismatch, nothing stored);
/// the update is put in the inbox and 200 returned at once; the model's work happens after. Unreadable
/// bodies are acknowledged with 200 so Telegram does not redeliver them forever.
/// </summary>
public static partial class TelegramWebhookEndpoint
{
    public const string Path = "/telegram/webhook";

    public static async Task<IResult> HandleAsync(HttpContext context, TelegramIntake intake, IOptions<TelegramOptions> options, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(TelegramWebhookEndpoint).FullName!);
        var presented = context.Request.Headers[WebhookSecret.Header].ToString();
        if (!WebhookSecret.Matches(context.Request.Headers.ContainsKey(WebhookSecret.Header) ? presented : null, options.Value.WebhookSecret))
        {
            LogRejected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Results.Unauthorized();
        }

        JsonElement update;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            update = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex.Message);
            return Results.Ok();
        }
        var result = await intake.AcceptAsync(update, context.RequestAborted);
        LogAccepted(logger, result);
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook call from {Remote} rejected: wrong or missing secret token")]
    private static partial void LogRejected(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook body could not be read and was acknowledged: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram webhook update: {Result}")]
    private static partial void LogAccepted(ILogger logger, IntakeResult result);
}
