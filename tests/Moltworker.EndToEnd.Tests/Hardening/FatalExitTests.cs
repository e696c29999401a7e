using System.Net;
using System.Net.Sockets;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Cli;

namespace Moltworker.EndToEnd.Tests.Hardening;

/// <summary>Issue 12, item 2: an error that stops the host prints one clear line on stderr and exits with its code.</summary>
public sealed class FatalExitTests
{
    private static Dictionary<string, string> Environment(TempFolder folder, string dataDirectory) => new()
    {
        ["Moltworker__DataDirectory"] = dataDirectory,
        ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
        ["Moltworker__Llm__BaseUrl"] = "",
        ["Moltworker__Llm__Model"] = "",
    };

    [Fact]
    public async Task A_read_only_data_directory_exits_with_the_storage_code_and_one_clear_line()
    {
        using var disk = SmallDisk.MountReadOnly();
        using var folder = new TempFolder();
        var result = await HostProcess.RunAsync(["run", "--urls", "http://127.0.0.1:0"], Environment(folder, disk.Path), folder.Path);

        Assert.True(result.ExitCode == ExitCodes.Storage, $"exit {result.ExitCode}; stderr: {result.Stderr}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: Cannot open the database", line);
        Assert.Contains(disk.Path, line);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        using var disk = SmallDisk.MountReadOnly();
        using var folder = new TempFolder();
        var result = await HostProcess.RunAsync(["run", "--urls", "http://127.0.0.1:0", "--verbose"], Environment(folder, disk.Path), folder.Path);

        Assert.True(result.ExitCode == ExitCodes.Storage, $"exit {result.ExitCode}; stderr: {result.Stderr}");
        Assert.StartsWith("error: Cannot open the database", result.Stderr);
        Assert.Contains("   at ", result.Stderr);
    }

    [Fact]
    public async Task An_invalid_setting_exits_with_the_configuration_code_and_one_clear_line()
    {
        using var folder = new TempFolder();
        var environment = Environment(folder, folder.Sub("data"));
        environment["Moltworker__Api__MaxChatBytes"] = "0"; // validated on start, once the server listens
        var result = await HostProcess.RunAsync(["run", "--urls", "http://127.0.0.1:0"], environment, folder.Path);

        Assert.True(result.ExitCode == ExitCodes.Configuration, $"exit {result.ExitCode}; stderr: {result.Stderr}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("error: Invalid configuration: Moltworker:Api:MaxChatBytes must be positive.", line);
    }

    [Fact]
    public async Task A_port_in_use_exits_with_the_unavailable_code()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var folder = new TempFolder();
        var result = await HostProcess.RunAsync(["run", "--urls", $"http://127.0.0.1:{port}"], Environment(folder, folder.Sub("data")), folder.Path);

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: Cannot listen", line);
    }
}
