using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;

namespace Moltworker.Mcp.Tests;

/// <summary>The real web host with MCP servers configured, reached over HTTP.</summary>
public sealed class McpHostTests
{
    [Fact]
    public async Task The_host_offers_a_servers_tools_and_reports_a_broken_server_in_healthz()
    {
        var folder = Path.Combine(Path.GetTempPath(), "moltworker-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Moltworker:DataDirectory={Path.Combine(folder, "data")}",
            $"--Moltworker:Plugins:Directory={Path.Combine(folder, "plugins")}",
            "--Moltworker:Llm:BaseUrl=", "--Moltworker:Llm:Model=",
            "--Logging:LogLevel:Default=Warning",
            "--Moltworker:Mcp:Servers:tester:Command=dotnet",
            $"--Moltworker:Mcp:Servers:tester:Arguments:0={McpFixture.ServerDll}",
            "--Moltworker:Mcp:Servers:broken:Command=/nonexistent/mcp-server-binary",
        ];
        var app = WebHostFactory.Build(args);
        try
        {
            await app.StartAsync();
            await app.Services.GetRequiredService<McpPluginSource>().FirstAttempts.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            var health = await http.GetFromJsonAsync<JsonElement>("/healthz");

            var plugins = health.GetProperty("plugins");
            var tester = plugins.GetProperty("loaded").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "tester");
            Assert.Equal("mcp", tester.GetProperty("origin").GetString());
            Assert.Contains("fail", tester.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
            var broken = plugins.GetProperty("failed").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "broken");
            Assert.StartsWith("cannot connect", broken.GetProperty("error").GetString());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
