using Moltworker.Kernel.Ids;

namespace Moltworker.Kernel.Schedules;

/// <summary>Schedule ids: eight lower-case hex digits, short enough to type in a chat.</summary>
public static class ScheduleIds
{
    public static string New() => RandomHex.Of(4);
}
