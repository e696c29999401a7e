namespace Moltworker.Channels.Telegram.Progress;

/// <summary>The status line shown while tools run, e.g. "Running 3 tools in parallel… 2/3".</summary>
public static class ProgressText
{
    public const string RunningMark = "⚙️";

    public static string Running(IReadOnlyList<string> tools, int done, bool parallel)
    {
        var total = tools.Count;
        if (total == 1) return $"{RunningMark} Running {tools[0]}… {done}/1";
        return parallel ? $"{RunningMark} Running {total} tools in parallel… {done}/{total}" : $"{RunningMark} Running {total} tools one by one… {done}/{total}";
    }

    public static string Finished(int tools, int errors) =>
        errors == 0 ? $"✅ {tools} tool call{(tools == 1 ? "" : "s")} finished" : $"⚠️ {tools} tool calls finished, {errors} failed";
}
