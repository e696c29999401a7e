using System.Security.Cryptography;

namespace Moltworker.Kernel.Schedules;

/// <summary>Schedule ids: eight lower-case hex digits, short enough to type in a chat.</summary>
public static class ScheduleIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
