namespace Moltworker.Kernel.Schedules;

/// <summary>A schedule that cannot be kept, with a message for the person who asked (why, and what to write instead).
/// Nothing was stored.</summary>
public sealed class ScheduleRefusedException(string message) : Exception(message);
