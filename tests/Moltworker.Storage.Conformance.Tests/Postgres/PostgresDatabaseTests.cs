using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Stores;
using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>What only the PostgreSQL provider has: its migrations, its connection errors and its /healthz entry.</summary>
public sealed class PostgresDatabaseTests
{
    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync())!;
    }

    [PostgresFact]
    public async Task Migrations_are_versioned_per_module_and_run_once_even_when_hosts_start_together()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var extra = new PostgresMigration("extra", 1, "CREATE TABLE extra_things (id INTEGER PRIMARY KEY);");
        // Four hosts opening an empty database at the same moment: one applies each step, the others see it done.
        var hosts = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(database.ConnectionString, [.. PostgresSchema.All, extra])).ToList();
        await Task.WhenAll(hosts.Select(h => h.EnsureReadyAsync()));
        await new PostgresKeyValueStore(hosts[0], TimeProvider.System).SetAsync("a", "1", default);
        // A restart must not re-run anything.
        await using var again = new PostgresDatabase(database.ConnectionString, [.. PostgresSchema.All, extra]);
        Assert.Equal("1", await new PostgresKeyValueStore(again, TimeProvider.System).GetAsync("a", default));
        foreach (var h in hosts) await h.DisposeAsync();

        // Every step of every module, once (the modules' own list, so a module added later is expected too).
        var expected = string.Join(",", PostgresSchema.All.Append(extra).OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version).Select(m => $"{m.Module}:{m.Version}"));
        Assert.Contains("apikeys:1,approvals:1,compaction:1,core:1,core:2,events:1,extra:1,feedback:1,journal:1,leases:1,memory:1,schedules:1,schedules:2,threads:1,toolcache:1", expected);
        Assert.Equal(expected,
            await ScalarAsync(database.ConnectionString, "SELECT string_agg(module || ':' || version, ',' ORDER BY module, version) FROM schema_migrations"));
    }

    [PostgresFact]
    public async Task A_database_migrated_by_a_newer_version_is_refused_and_left_alone()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using (var first = new PostgresDatabase(database.ConnectionString, PostgresSchema.All)) await first.EnsureReadyAsync();
        await ScalarAsync(database.ConnectionString, "INSERT INTO schema_migrations VALUES ('core', 99, now()) RETURNING version");

        await using var older = new PostgresDatabase(database.ConnectionString, PostgresSchema.All);
        var ex = await Assert.ThrowsAsync<StorageException>(() => older.EnsureReadyAsync());
        Assert.Contains("newer version of Moltworker: schema core v99 (this version knows up to v2)", ex.Message);
    }

    [PostgresFact]
    public async Task A_refused_password_shows_in_healthz_with_the_reason_and_without_the_password()
    {
        var wrong = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Password = "not-the-password-42" }.ConnectionString;
        await using var db = new PostgresDatabase(wrong, PostgresSchema.All);

        var entry = await new PostgresDatabaseHealth(db, TimeProvider.System).CheckAsync(default);

        Assert.False(entry.Healthy);
        Assert.Contains("refused the password of user 'moltworker'", entry.Hint);
        Assert.DoesNotContain("not-the-password-42", System.Text.Json.JsonSerializer.Serialize(entry.Data));
    }

    [PostgresFact]
    public async Task A_healthy_database_reports_server_database_and_a_successful_write()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var db = new PostgresDatabase(database.ConnectionString, PostgresSchema.All);

        var entry = await new PostgresDatabaseHealth(db, TimeProvider.System).CheckAsync(default);

        Assert.True(entry.Healthy, entry.Hint);
        var json = System.Text.Json.JsonSerializer.Serialize(entry.Data);
        Assert.Contains($"\"database\":\"{database.Name}\"", json);
        Assert.Contains("\"writable\":true", json);
    }

    [Fact]
    public void A_connection_string_that_cannot_be_read_is_a_clear_storage_error()
    {
        var ex = Assert.Throws<StorageException>(() => new PostgresDatabase("Host=x;NoSuchKeyword=1", PostgresSchema.All));
        Assert.StartsWith("Moltworker:Storage:ConnectionString is not a valid PostgreSQL connection string", ex.Message);
    }
}
