using System.Diagnostics;

namespace Moltworker.Kernel.Telemetry;

/// <summary>
/// Starts the kernel's own spans (<c>invoke_agent</c>, <c>execute_tool</c>) under the ambient activity only when that
/// activity is recorded. ASP.NET Core makes an activity for every request even when nobody listens to it (it is not
/// recorded), and a turn or an MCP call that runs on such a request's flow (the inbox's drain is started from the
/// request that brought its first item) would hang under it: the SDK's default sampler (parent-based) then drops the
/// span and every child of it, so no trace was ever exported. Under an unrecorded parent the span starts a trace of its
/// own instead, with a link to that parent, so a request that is sampled upstream still finds its work.
/// </summary>
public static class GenAiSpans
{
    /// <summary>The started span (it becomes the ambient one), or null when nobody listens.</summary>
    public static Activity? Start(string name)
    {
        var ambient = Activity.Current;
        if (ambient is null || ambient.Recorded) return GenAiConventions.Source.StartActivity(name, ActivityKind.Internal);
        Activity.Current = null;
        var span = GenAiConventions.Source.StartActivity(ActivityKind.Internal, parentContext: default, links: [new ActivityLink(ambient.Context)], name: name);
        if (span is null) Activity.Current = ambient;
        return span;
    }
}
