using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moltworker.Storage.Postgres;
using Moltworker.Storage.Sqlite;

namespace Moltworker.Host.Composition;

/// <summary>Which database holds the shared state: conversations, turns, inbox, settings, tasks and journal,
/// transaction log and usage, API keys, events, approvals and schedules.</summary>
public enum StorageProvider
{
    /// <summary>One file, <c>moltworker.db</c>, in <c>Moltworker:DataDirectory</c>.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>Moltworker:Storage:ConnectionString</c>).</summary>
    Postgres,
}

/// <summary><c>Moltworker:Storage</c>: where the stores live.</summary>
public sealed class StorageProviderOptions
{
    public const string Section = "Moltworker:Storage";

    /// <summary><c>Sqlite</c> (the file in <c>Moltworker:DataDirectory</c>) or <c>Postgres</c> (a PostgreSQL database,
    /// <c>ConnectionString</c>; several hosts may share it: see docs/operations.md#two-hosts-on-one-database).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>With <c>Provider=Postgres</c>, the Npgsql connection string, e.g.
    /// <c>Host=db;Port=5432;Database=moltworker;Username=moltworker;Password=…</c> (pool size and timeouts go here too).
    /// The database must exist; the tables are created at start.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Wires the stores of the chosen <see cref="StorageProvider"/>; nothing else in the host knows which one runs.</summary>
public static class StorageComposition
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageProviderOptions>().Bind(configuration.GetSection(StorageProviderOptions.Section))
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Moltworker:Storage:ConnectionString is required when Moltworker:Storage:Provider is Postgres.")
            .ValidateOnStart();
        var options = new StorageProviderOptions();
        try { configuration.GetSection(StorageProviderOptions.Section).Bind(options); }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(StorageProviderOptions.Section, typeof(StorageProviderOptions),
                [$"Moltworker:Storage:Provider must be Sqlite or Postgres ({ex.InnerException?.Message ?? ex.Message})."]);
        }
        if (options.Provider == StorageProvider.Postgres && !string.IsNullOrWhiteSpace(options.ConnectionString))
            AddPostgres(services, options.ConnectionString);
        else
            services.AddSqliteStorage();
        return services;
    }

    /// <summary>A method of its own, so a host on SQLite never loads the PostgreSQL provider's assemblies (the JIT
    /// resolves what a method calls when it compiles that method).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddPostgres(IServiceCollection services, string connectionString)
    {
        services.AddPostgresStorage(connectionString);
        // What stays per host, in Moltworker:DataDirectory: the knowledge base's local copy (Store=Sqlite). Every
        // store, events, approvals and schedules included, is in the shared database.
        services.AddSqliteFile();
    }
}
