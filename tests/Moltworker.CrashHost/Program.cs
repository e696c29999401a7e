using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.CrashHost;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;

// Usage: dotnet Moltworker.CrashHost.dll --Moltworker:DataDirectory=… --Moltworker:Llm:BaseUrl=… [...]
//   MW_ASK="text"        start a task with this message (chat crash:1) and print ANSWER <text>
//   MW_CRASH_AT=b:n      kill the process at the n-th journal or turn-keeping boundary b (see FaultPlan)
// Unfinished tasks of earlier (killed) runs are resumed by the host's resume service at start; the process prints
// RESUMED when that pass is over and exits 0.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
Console.WriteLine("RESUMED");
if (Environment.GetEnvironmentVariable("MW_ASK") is { Length: > 0 } ask)
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
