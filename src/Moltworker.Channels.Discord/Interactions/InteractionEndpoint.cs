using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Signing;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// <c>POST /discord/interactions</c>: reads the raw body, verifies the Ed25519 signature over timestamp + body
/// (401 when it fails or a header is missing or the timestamp is stale), then answers with what
/// <see cref="InteractionProcessor"/> decides (400 for malformed payloads).
/// </summary>
public static partial class InteractionEndpoint
{
    public const string Path = "/discord/interactions";
    public const int MaxBodyBytes = 1 << 20;

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        InteractionSignatureValidator validator,
        InteractionProcessor processor,
        InteractionAcks acks,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(InteractionEndpoint).FullName!);
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var check = validator.Check(
            context.Request.Headers[InteractionSignatureValidator.SignatureHeader].FirstOrDefault(),
            context.Request.Headers[InteractionSignatureValidator.TimestampHeader].FirstOrDefault(),
            body);
        if (check != SignatureCheck.Valid)
        {
            LogRejected(logger, check);
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
        }

        string json;
        try { json = new UTF8Encoding(false, true).GetString(body); }
        catch (DecoderFallbackException) { return Results.BadRequest(new { error = "body is not UTF-8" }); }

        var outcome = await processor.ProcessAsync(json, context.RequestAborted);
        if (outcome.IsMalformed) return Results.BadRequest(new { error = outcome.Error });
        if (outcome.QueuedInteractionId is { } id)
            context.Response.OnCompleted(() => { acks.Complete(id); return Task.CompletedTask; });
        return Results.Content(outcome.Response!.ToJsonString(), "application/json");
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (ms.Length + n > MaxBodyBytes) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord interaction refused: signature check {Check}")]
    private static partial void LogRejected(ILogger logger, SignatureCheck check);
}
