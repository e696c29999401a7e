using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>The test server is there and a test class gets a database of its own.</summary>
public sealed class ConnectivityTests
{
    [PostgresFact]
    public async Task A_fresh_database_answers_and_is_dropped_afterwards()
    {
        string name;
        await using (var database = await TestPostgres.CreateDatabaseAsync())
        {
            name = database.Name;
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database() || ' ' || current_setting('server_version_num')", connection);
            var answer = (string)(await command.ExecuteScalarAsync())!;
            Assert.StartsWith(name + " ", answer);
            Assert.True(int.Parse(answer.Split(' ')[1]) >= 150000, answer);
        }
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @n", admin);
        exists.Parameters.AddWithValue("n", name);
        Assert.Equal(0L, (long)(await exists.ExecuteScalarAsync())!);
    }
}
