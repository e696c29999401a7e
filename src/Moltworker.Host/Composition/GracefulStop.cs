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

    /// <summary>Once the host is stopping (after the first signal), a further SIGTERM or SIGINT ends the process at once.</summary>
    public static void ExitOnSignalWhileStopping(this IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            void Handle(PosixSignalContext context)
            {
                context.Cancel = true;
                Console.Error.WriteLine("Second stop signal: exiting now; unfinished tasks resume at the next start.");
                Console.Error.Flush();
                ExitNow(0);
            }
            // Kept for the rest of the process's life: it ends soon either way.
            _held = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle)];
        });
    }

    private static PosixSignalRegistration[]? _held;

    /// <summary>Ends the process without running shutdown handlers (which would wait for the graceful stop again).</summary>
    private static void ExitNow(int code)
    {
        foreach (var name in new[] { "libc.so.6", "libc.so", "libc" })
        {
            if (!OperatingSystem.IsWindows() && NativeLibrary.TryLoad(name, out var libc) && NativeLibrary.TryGetExport(libc, "_exit", out var exit))
                Marshal.GetDelegateForFunctionPointer<NativeExit>(exit)(code);
        }
        Environment.Exit(code);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void NativeExit(int code);
}
