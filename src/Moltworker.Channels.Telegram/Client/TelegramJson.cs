using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>JSON as the Bot API writes it: snake_case, nulls left out.</summary>
public static class TelegramJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
