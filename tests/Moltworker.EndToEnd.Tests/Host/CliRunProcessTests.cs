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

            // The API document is served from the file generated at build time: the generator's assemblies (the
            // OpenAPI object model, MVC's API explorer) are not loaded by the running host, even after serving it.
            var document = await http.GetFromJsonAsync<JsonElement>("/openapi.json");
            Assert.True(document.GetProperty("paths").TryGetProperty("/api/chat", out _));
            if (OperatingSystem.IsLinux())
            {
                var mapped = await File.ReadAllTextAsync($"/proc/{process.Id}/maps");
                Assert.Contains("/moltworker.dll", mapped, StringComparison.Ordinal);
                foreach (var generatorOnly in (string[])["/Microsoft.OpenApi.dll", "/Microsoft.AspNetCore.OpenApi.dll", "/Microsoft.AspNetCore.Mvc.Core.dll"])
                    Assert.DoesNotContain(generatorOnly, mapped, StringComparison.Ordinal);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
