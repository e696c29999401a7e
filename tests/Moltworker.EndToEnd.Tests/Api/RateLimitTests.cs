using System.Net.Http.Json;
using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: /api is rate limited per client and per chat, with 429, Retry-After and a problem body. The limiters
/// keep their own clock (System.Threading.RateLimiting takes no TimeProvider), so these use a tiny limit and an hour-long
/// window instead of stepping a clock.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_and_healthz_stays_open()
    {
        await using var host = await RunningHost.StartAsync(
            [.. RunningHost.NoModel, "--Moltworker:Api:RateLimit:PermitsPerClient=3", "--Moltworker:Api:RateLimit:ClientWindow=01:00:00"]);
        for (var i = 0; i < 3; i++) await host.Http.ChatOkAsync(new { chatId = $"c{i}", text = "/help" });

        using (var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "c9", text = "/help" }))
        {
            var problem = await ApiResponses.AssertProblemAsync(response, 429);
            Assert.Contains("client", problem.Detail(), StringComparison.Ordinal);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50), response.Headers.RetryAfter?.ToString());
        }
        Assert.Equal(200, (await host.HealthAsync()).Status);
    }

    [Fact]
    public async Task A_chat_over_its_limit_gets_429_while_other_chats_go_on()
    {
        await using var host = await RunningHost.StartAsync(
            [.. RunningHost.NoModel, "--Moltworker:Api:RateLimit:PermitsPerChat=2", "--Moltworker:Api:RateLimit:ChatWindow=01:00:00"]);
        await host.Http.ChatOkAsync(new { chatId = "busy", text = "/help" });
        await host.Http.ChatOkAsync(new { chatId = "busy", text = "/help" });

        using (var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "busy", text = "/help" }))
        {
            var problem = await ApiResponses.AssertProblemAsync(response, 429);
            Assert.Contains("chat", problem.Detail(), StringComparison.Ordinal);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50), response.Headers.RetryAfter?.ToString());
        }
        await host.Http.ChatOkAsync(new { chatId = "quiet", text = "/help" });
    }

    [Fact]
    public async Task Limits_can_be_turned_off()
    {
        await using var host = await RunningHost.StartAsync(
            [.. RunningHost.NoModel, "--Moltworker:Api:RateLimit:Enabled=false", "--Moltworker:Api:RateLimit:PermitsPerChat=1", "--Moltworker:Api:RateLimit:PermitsPerClient=1"]);
        for (var i = 0; i < 3; i++) await host.Http.ChatOkAsync(new { chatId = "c", text = "/help" });
    }
}
