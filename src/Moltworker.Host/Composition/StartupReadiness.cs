using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Tasks;
using Moltworker.Knowledge;

namespace Moltworker.Host.Composition;

/// <summary>
/// What the host still does in the background after it started answering: making and starting its hosted services
/// ("services", <see cref="AfterListeningHostedService"/>), the plugin catalog's first load
/// ("plugins"), the curated knowledge folder's ingest ("knowledge") and the resume pass over tasks left unfinished by
/// the previous run ("tasks"). The web host holds the last three until it answered its first request (<see cref="StartupHold"/>):
/// until then they are listed too. /healthz answers at once
/// and says "starting" with these names; /readyz says "ready" (200) once all are done, failed or not (a failure is logged
/// and shown by its own /healthz entry).
/// </summary>
public sealed class StartupReadiness(
    KnowledgeSeedService knowledge, TaskResumeService tasks, PluginWarmup plugins, StartupHold hold, AfterListeningHostedService services)
{
    public IReadOnlyList<string> Loading()
    {
        var loading = new List<string>(4);
        if (!services.AllStarted.IsCompleted) loading.Add("services");
        if (!hold.IsOpen || !plugins.Completion.IsCompleted) loading.Add("plugins"); // held, or loading
        if (!knowledge.Completion.IsCompleted) loading.Add("knowledge");
        if (!tasks.FirstPass.IsCompleted) loading.Add("tasks");
        return loading;
    }
}
