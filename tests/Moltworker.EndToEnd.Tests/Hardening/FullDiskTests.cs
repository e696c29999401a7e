using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Tasks;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Hardening;

/// <summary>Issue 12, item 3: a full disk shows in /healthz and /api/chat (503), leaves no task running, and passes
/// without a restart once space returns. On a real 16 MB tmpfs.</summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task A_full_disk_turns_healthz_and_the_chat_api_to_503_and_both_recover_when_space_returns()
    {
        using var disk = SmallDisk.Mount(16);
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = _ => ScriptedReply.Answer("fine");
        await using var host = await RunningHost.StartAsync(
        [
            $"--Moltworker:Llm:BaseUrl={server.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test",
            $"--Moltworker:DataDirectory={disk.Path}",
            "--Moltworker:Api:MaxChatBytes=2097152", // room for the 1 MB message below
        ]);
        Assert.Equal(200, (await PostAsync(host, "before")).Status);
        var (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        Assert.True(health.GetProperty("database").GetProperty("writable").GetBoolean());

        disk.Fill();

        // SQLite reuses its WAL file, so a short turn may still fit; a turn with a 1 MB message cannot.
        using (var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "disk", text = "while full " + new string('x', 1 << 20) }))
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("full", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }
        (status, health) = await host.HealthAsync();
        Assert.True(status == 503, health.ToString());
        Assert.False(health.GetProperty("database").GetProperty("writable").GetBoolean());
        Assert.Contains("full", health.GetProperty("database").GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);

        disk.Free();

        (status, health) = await host.HealthAsync();
        Assert.Equal(200, status);
        Assert.True(health.GetProperty("database").GetProperty("writable").GetBoolean());
        var after = await PostAsync(host, "after");
        Assert.Equal(200, after.Status);
        Assert.Equal("fine", after.Body.GetProperty("text").GetString());

        // The request that failed left no task Running (to be resumed at the next start). Whether its task row was written
        // before the disk refused depends on SQLite's WAL; TaskFailureRecorderTests covers marking one failed.
        var tasks = host.Services.GetRequiredService<ITaskStore>();
        Assert.Empty(await tasks.ListAsync(DurableTaskStatus.Running, 100, CancellationToken.None));
    }

    private static async Task<(int Status, JsonElement Body)> PostAsync(RunningHost host, string text)
    {
        using var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "disk", text });
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
