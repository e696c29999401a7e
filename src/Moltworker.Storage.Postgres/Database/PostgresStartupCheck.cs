using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Hosting;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>Connects and migrates before the host serves anything, so an unreachable server, a refused password or a
/// missing database stops the start with the reason (a <see cref="Moltworker.Kernel.State.StorageException"/>, exit
/// code 74) instead of failing the first message.</summary>
public sealed class PostgresStartupCheck(PostgresDatabase database) : IHostedService, IStartsBeforeListening
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
