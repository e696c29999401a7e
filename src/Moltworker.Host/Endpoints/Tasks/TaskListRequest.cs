using System.Globalization;
using Microsoft.AspNetCore.Http;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Tasks;

/// <summary>Reads <c>GET /api/tasks</c>'s query: <c>status</c> (running, paused, completed, failed), <c>chat</c>,
/// <c>channel</c>, <c>offset</c> (≥ 0) and <c>limit</c> (1 to the maximum; default 50).</summary>
public static class TaskListRequest
{
    public static (TaskListQuery? Query, string? Problem) From(IQueryCollection query, int maxLimit)
    {
        DurableTaskStatus? status = null;
        if (Text(query["status"]) is { } s)
        {
            if (!Enum.TryParse<DurableTaskStatus>(s, ignoreCase: true, out var parsed) || int.TryParse(s, out _))
                return (null, $"status must be one of running, paused, completed, failed; not '{s}'");
            status = parsed;
        }
        if (!Number(query["offset"], 0, 0, int.MaxValue, out var offset)) return (null, "offset must be a whole number ≥ 0");
        if (!Number(query["limit"], 50, 1, maxLimit, out var limit)) return (null, $"limit must be a whole number from 1 to {maxLimit}");
        return (new TaskListQuery { Status = status, ChatId = Text(query["chat"]), Channel = Text(query["channel"]), Offset = offset, Limit = limit }, null);
    }

    private static bool Number(Microsoft.Extensions.Primitives.StringValues value, int fallback, int min, int max, out int result)
    {
        result = fallback;
        if (Text(value) is not { } text) return true;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max;
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString();
}
