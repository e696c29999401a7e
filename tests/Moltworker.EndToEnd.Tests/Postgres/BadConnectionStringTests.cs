using System.Net;
using System.Net.Sockets;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Cli;
using Moltworker.Testing.Postgres;
using Npgsql;

namespace Moltworker.EndToEnd.Tests.Postgres;

/// <summary>The host process on a PostgreSQL it cannot use stops at start with one clear line (never the password)
/// and the storage exit code.</summary>
public sealed class BadConnectionStringTests
{
    private static async Task<HostProcess.Result> RunAsync(string connectionString)
    {
        using var folder = new TempFolder();
        return await HostProcess.RunAsync(["run", "--urls", "http://127.0.0.1:0"], new Dictionary<string, string>
        {
            ["Moltworker__DataDirectory"] = folder.Sub("data"),
            ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
            ["Moltworker__Llm__BaseUrl"] = "",
            ["Moltworker__Llm__Model"] = "",
            ["Moltworker__Storage__Provider"] = "Postgres",
            ["Moltworker__Storage__ConnectionString"] = connectionString,
        }, folder.Path);
    }

    private static string OneLine(HostProcess.Result result)
    {
        Assert.True(result.ExitCode == ExitCodes.Storage, $"exit {result.ExitCode}; stderr: {result.Stderr}");
        return Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static NpgsqlConnectionStringBuilder Server() => new(TestPostgres.AdminConnectionString ?? throw new InvalidOperationException(TestPostgres.HowToStart));

    [PostgresFact]
    public async Task A_wrong_password_exits_with_the_storage_code_and_says_the_password_was_refused()
    {
        var line = OneLine(await RunAsync(new NpgsqlConnectionStringBuilder(Server().ConnectionString) { Password = "wrong-secret-7" }.ConnectionString));

        Assert.StartsWith("error: PostgreSQL at 127.0.0.1:", line);
        Assert.Contains("refused the password of user 'moltworker'", line);
        Assert.DoesNotContain("wrong-secret-7", line);
    }

    [PostgresFact]
    public async Task A_missing_database_exits_with_the_storage_code_and_says_how_to_create_it()
    {
        var line = OneLine(await RunAsync(new NpgsqlConnectionStringBuilder(Server().ConnectionString) { Database = "no_such_db_for_moltworker" }.ConnectionString));

        Assert.Contains("The database 'no_such_db_for_moltworker' does not exist", line);
        Assert.Contains("CREATE DATABASE", line);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_the_storage_code_and_names_host_and_port()
    {
        // A port nobody listens on: taken from the OS, then released.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var line = OneLine(await RunAsync($"Host=127.0.0.1;Port={port};Database=moltworker;Username=moltworker;Password=secret-9;Timeout=5"));

        Assert.StartsWith($"error: Cannot reach PostgreSQL at 127.0.0.1:{port}", line);
        Assert.DoesNotContain("secret-9", line);
    }
}
