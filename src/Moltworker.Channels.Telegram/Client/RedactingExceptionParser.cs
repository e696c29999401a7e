using Telegram.Bot.Exceptions;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>Telegram.Bot's hook for turning an <c>ok:false</c> answer into an exception: the library's own
/// <see cref="ApiRequestException"/>, with the bot token masked in the description should the server ever echo it.</summary>
public sealed class RedactingExceptionParser(string? token) : IExceptionParser
{
    public ApiRequestException Parse(ApiResponse apiResponse) =>
        new(TokenRedactor.Redact(apiResponse.Description ?? "no description", token), apiResponse.ErrorCode, apiResponse.Parameters);
}
