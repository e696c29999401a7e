using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.CrashHost;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;

// Usage: dotnet Moltworker.CrashHost.dll --Moltworker:DataDirectory=… --Moltworker:Llm:BaseUrl=… [...]
//   MW_ASK="text"        start a task with this message (chat crash:1) and print ANSWER <text>
//   MW_CRASH_AT=b:n      kill the process at the n-th journal or turn-keeping boundary b (see FaultPlan)
//   MW_UNTIL_TASKS=n     on a shared database (PostgreSQL): wait until at least n tasks exist and none is running
//                        (another host's task is taken over when its lease expires) before printing RESUMED
// Unfinished tasks of earlier (killed) runs are resumed by the host's resume service at start; the process prints
// RESUMED when that pass is over and exits 0. On a shared database a killed run's task is taken once its lease
// expires, so without MW_ASK the host also waits until no task is running. Leases default to 2 s here (renewed every
// 0.5 s) so the tests do not wait for the production 10 s; --Moltworker:Cluster:… overrides them.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Moltworker:Cluster:LeaseDuration"] = "00:00:02",
        ["Moltworker:Cluster:RenewEvery"] = "00:00:00.5",
    },
});
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.AddMoltworker();
builder.Services.AddPlugin<LedgerPlugin>();
var plan = new FaultPlan(Environment.GetEnvironmentVariable("MW_CRASH_AT"));
// Whatever provider the composition chose (Moltworker:Storage:Provider), its journal and conversations get the fault plan.
Decorate<IToolJournal>(builder.Services, inner => new CrashingJournal(inner, plan));
Decorate<IConversationStore>(builder.Services, inner => new CrashingConversations(inner, plan));

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("STARTED");
await host.Services.GetRequiredService<TaskResumeService>().FirstPass;
var ask = Environment.GetEnvironmentVariable("MW_ASK");
if (host.Services.GetRequiredService<IHostLeases>().Shared && string.IsNullOrEmpty(ask))
{
    var atLeast = int.TryParse(Environment.GetEnvironmentVariable("MW_UNTIL_TASKS"), out var n) ? n : 0;
    var tasks = host.Services.GetRequiredService<ITaskStore>();
    while (true)
    {
        var all = await tasks.ListAsync(null, int.MaxValue, CancellationToken.None);
        if (all.Count >= atLeast && all.All(t => t.Status != DurableTaskStatus.Running)) break;
        await Task.Delay(100);
    }
}
Console.WriteLine("RESUMED");
if (ask is { Length: > 0 })
{
    var reply = await host.Services.GetRequiredService<IChatService>().HandleAsync(new IncomingMessage(new ChatAddress("crash", "1", "tester"), ask), CancellationToken.None);
    Console.WriteLine($"ANSWER {(reply.IsError ? "error: " : "")}{reply.Text}");
}
await host.StopAsync();
return 0;

static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class
{
    var registered = services.Last(d => d.ServiceType == typeof(T));
    services.Remove(registered);
    services.AddSingleton<T>(sp => wrap((T)(registered.ImplementationInstance
        ?? registered.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
}
