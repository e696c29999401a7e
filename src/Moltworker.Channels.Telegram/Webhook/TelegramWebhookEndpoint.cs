using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram.Webhook;

/// <summary>
/// POST /telegram/webhook: the secret header is checked in constant time (401 on mismatch, nothing stored);
/// the update is read by the intake (Telegram.Bot's <c>Update</c>, <c>JsonBotAPI.Options</c>), put in the inbox and 200 returned at once; the model's work happens after. Unreadable
/// bodies and updates that cannot be routed are acknowledged with 200 so Telegram does not redeliver them forever.
/// While the database cannot store, the answer is 503 with <c>Retry-After</c>: Telegram keeps the update and
/// delivers it again, so nothing is lost.
/// </summary>
public static partial class TelegramWebhookEndpoint
{
    public const string Path = "/telegram/webhook";

    /// <summary>The <c>Retry-After</c> of a 503 while the database cannot store.</summary>
    public const int RetryAfterSeconds = 30;

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
        IntakeResult result;
        try { result = await intake.AcceptAsync(update, context.RequestAborted); }
        catch (StorageException ex)
        {
            LogStorage(logger, ex.Message);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        LogAccepted(logger, result);
        return Results.Ok();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook call from {Remote} rejected: wrong or missing secret token")]
    private static partial void LogRejected(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram webhook body could not be read and was acknowledged: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram webhook update not stored, answered 503 so Telegram delivers it again: {Reason}")]
    private static partial void LogStorage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram webhook update: {Result}")]
    private static partial void LogAccepted(ILogger logger, IntakeResult result);
}
