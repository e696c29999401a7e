using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Composition;

/// <summary>
/// How <c>moltworker run</c> stops. The first SIGTERM (or Ctrl+C) stops the host gracefully: every hosted service stops
/// at once and together (no intake from any channel), in-flight turns get <see cref="ShutdownOptions.ShutdownTimeout"/>
/// to finish, and the process exits 0. A second signal ends the process at once with exit code 0; that is safe because
/// every commit is already in SQLite's WAL and unfinished tasks resume from their checkpoint at the next start.
/// </summary>
public static class GracefulStop
{
    public static void AddGracefulStop(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection("Moltworker"))
            .Validate(o => o.ShutdownTimeout > TimeSpan.Zero, "Moltworker:ShutdownTimeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
        {
            host.ShutdownTimeout = shutdown.Value.ShutdownTimeout;
            host.ServicesStopConcurrently = true;
        });
    }

    /// <summary>Makes a second stop signal end the process at once. Keep the result alive while the host runs.</summary>
    public static IDisposable OnSecondSignalExit()
    {
        var signals = 0;
        void Handle(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) < 2) return; // the host's console lifetime handles the first one
            Console.Error.WriteLine("Second stop signal: exiting now; unfinished tasks resume at the next start.");
            Console.Error.Flush();
            ExitNow(0);
        }
        var registrations = new[] { PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle) };
        return new Registrations(registrations);
    }

    /// <summary>Ends the process without running shutdown handlers (which would wait for the graceful stop again).</summary>
    private static void ExitNow(int code)
    {
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        else NativeExit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void NativeExit(int code);

    private sealed class Registrations(PosixSignalRegistration[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }
}
