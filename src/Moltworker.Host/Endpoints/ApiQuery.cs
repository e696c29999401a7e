using System.Globalization;

namespace Moltworker.Host.Endpoints;

/// <summary>Reads query-string filters of a GET route and keeps the first problem, for a 400 that names the parameter:
/// <c>var q = new ApiQuery(); var since = q.Time(sinceText, "since"); if (q.Problem is { } p) return ApiProblems.BadRequest(p);</c></summary>
public sealed class ApiQuery
{
    /// <summary>What is wrong with the first bad parameter; null while all were good.</summary>
    public string? Problem { get; private set; }

    /// <summary>An ISO 8601 time (<c>2026-11-21T10:00Z</c>); null when absent.</summary>
    public DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        Fail($"{name} must be an ISO 8601 time such as 2026-11-21T10:00Z, not '{text}'");
        return null;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public int Number(string? text, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        Fail($"{name} must be a whole number from {min} to {max}, not '{text}'");
        return fallback;
    }

    /// <summary>One of an enum's names, case-insensitive; <paramref name="fallback"/> when absent.</summary>
    public TEnum Choice<TEnum>(string? text, string name, TEnum fallback) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0])) return value;
        Fail($"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}, not '{text}'");
        return fallback;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive, returned as given there); null when absent.</summary>
    public string? OneOf(string? text, string name, params string[] allowed)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase)) is { } match) return match;
        Fail($"{name} must be one of {string.Join(", ", allowed)}, not '{text}'");
        return null;
    }

    private void Fail(string problem) => Problem ??= problem;
}
