using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary><c>moltworker run</c> as a process with space-separated settings: they reach the web host's configuration
/// (seen in <c>/healthz</c>) next to <c>run</c>'s own <c>--urls</c>; and it serves its API document without loading the
/// document generator.</summary>
public sealed partial class CliRunProcessTests
{
    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();

    [Fact]
    public void The_host_runs_with_dynamic_pgo_and_without_http3_in_its_clients()
    {
        // Dynamic PGO is worth about 12 % of turn p50 (docs/operations.md, "Memory"): nothing may turn it off.
        // With HTTP/3 allowed, the optimizing JIT of SocketsHttpHandler's send path loads System.Net.Quic after some
        // thousand requests (too late for a test to wait for): the switch is checked where the runtime reads it.
        var config = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.ChangeExtension(TestArtifacts.HostDll, ".runtimeconfig.json")));
        var properties = config.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.Net.SocketsHttpHandler.Http3Support").GetBoolean());
        Assert.False(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo) && !pgo.GetBoolean());
    }

    [Fact]
    public async Task Run_takes_space_separated_settings_next_to_its_own_urls_option()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var folder = new TempFolder();
        var env = new Dictionary<string, string>
        {
            ["Moltworker__DataDirectory"] = folder.Sub("data"),
            ["Moltworker__Plugins__Directory"] = folder.Sub("plugins"),
        };
        string[] args = ["run", "--Moltworker:Llm:BaseUrl", server.BaseUrl, "--urls", "http://127.0.0.1:0", "--Moltworker__Llm__Model", "test-model"];
        using var process = Process.Start(HostProcess.StartInfo(args, env, folder.Path))!;
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m) address.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException($"moltworker run exited with {process.ExitCode}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(await address.Task.WaitAsync(TimeSpan.FromSeconds(60))) };
            // The host answers as soon as it listens: "starting" with only "loading" until its services are made.
            var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
            for (var polls = 0; !health.TryGetProperty("model", out _) && polls < 1500; polls++)
            {
                Assert.Equal("starting", health.GetProperty("status").GetString());
                await Task.Delay(20);
                health = await http.GetFromJsonAsync<JsonElement>("/healthz");
            }

            var model = health.GetProperty("model");
            Assert.True(model.GetProperty("configured").GetBoolean());
            Assert.Equal("test-model", model.GetProperty("model").GetString());
            Assert.True(model.GetProperty("reachable").GetBoolean());
            Assert.Equal(1, server.ModelListRequests);

            // The runtime settings of the host's own runtimeconfig.json (Moltworker.Host.csproj): the gen0 cap is in force.
            Assert.Equal(6, health.GetProperty("memory").GetProperty("gen0BudgetMb").GetDouble());
            // The JIT's count, which the benchmarks read to end their warm-up: a running host has compiled something.
            Assert.True(health.GetProperty("runtime").GetProperty("jit").GetProperty("methods").GetInt64() > 0);

            // What a host on SQLite serving its API document does not load: the document's generator (the OpenAPI
            // object model, MVC's API explorer; the document is the file generated at build time), the PostgreSQL
            // provider, and the compression libraries (the console's files are compressed when its page is first asked for).
            var document = await http.GetFromJsonAsync<JsonElement>("/openapi.json");
            Assert.True(document.GetProperty("paths").TryGetProperty("/api/chat", out _));
            if (OperatingSystem.IsLinux())
            {
                var mapped = await File.ReadAllTextAsync($"/proc/{process.Id}/maps");
                Assert.Contains("/moltworker.dll", mapped, StringComparison.Ordinal);
                foreach (var notLoaded in (string[])["/Microsoft.OpenApi.dll", "/Microsoft.AspNetCore.OpenApi.dll", "/Microsoft.AspNetCore.Mvc.Core.dll",
                                                     "/Moltworker.Storage.Postgres.dll", "/Npgsql.dll", "/System.IO.Compression.dll", "/libSystem.IO.Compression.Native.so"])
                    Assert.DoesNotContain(notLoaded, mapped, StringComparison.Ordinal);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
