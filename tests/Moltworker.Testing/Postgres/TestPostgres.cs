using Npgsql;

namespace Moltworker.Testing.Postgres;

/// <summary>
/// The real PostgreSQL server tests run against: <c>MOLTWORKER_TEST_POSTGRES</c> holds a connection string with the
/// right to create databases (<c>eng/postgres start</c> prints it; <c>.ci/run</c> sets it). Each test class takes a
/// fresh database with a random name (<see cref="CreateDatabaseAsync"/>), so classes stay independent and can run in
/// parallel.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "MOLTWORKER_TEST_POSTGRES";

    /// <summary>How to get a server, for skip reasons and failures.</summary>
    public const string HowToStart = "Start a throwaway server with `eval \"$(eng/postgres start)\"` (it sets " + Variable +
                                     "; `eng/postgres stop` removes it).";

    /// <summary>The administrative connection string, or null when the variable is not set.</summary>
    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    /// <summary>True under CI (<c>CI=true</c>): a missing server is then a failure, not a skip.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a test that needs the server is skipped here, or null when it runs (server set, or under CI where
    /// it then fails in <see cref="CreateDatabaseAsync"/>).</summary>
    public static string? SkipReason => AdminConnectionString is null && !UnderCi
        ? $"{Variable} is not set: no PostgreSQL to test against. {HowToStart}"
        : null;

    /// <summary>Creates an empty database with a random name and answers its connection string.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var admin = AdminConnectionString
                    ?? throw new InvalidOperationException($"{Variable} is not set, and this test needs a real PostgreSQL (CI must provide one). {HowToStart}");
        var name = "mw_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(admin, name, builder.ConnectionString);
    }
}

/// <summary>A database created for one test class; dropped (with its connections) on dispose.</summary>
public sealed class TestDatabase(string admin, string name, string connectionString) : IAsyncDisposable
{
    public string Name => name;
    public string ConnectionString => connectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
