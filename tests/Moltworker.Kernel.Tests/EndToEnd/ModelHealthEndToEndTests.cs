using System.Text.Json;
using Moltworker.Kernel.State;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>The /healthz "model" entry probing the in-test server's GET /v1/models over loopback.</summary>
public sealed class ModelHealthEndToEndTests
{
    private static async Task<(HealthEntry Entry, JsonElement Data)> CheckAsync(FakeOpenAIServer server, string key)
    {
        await using var kernel = TestKernel.Create(settings: new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = server.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = key,
            ["Moltworker:Llm:Model"] = "gpt-4o-mini",
        });
        var model = kernel.Get<IEnumerable<IHealthContributor>>().Single(h => h.Name == "model");
        var entry = await model.CheckAsync(CancellationToken.None);
        return (entry, JsonSerializer.SerializeToElement(entry.Data));
    }

    [Fact]
    public async Task A_reachable_endpoint_with_a_good_key_is_healthy()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ApiKey = "sk-good";

        var (entry, data) = await CheckAsync(server, "sk-good");

        Assert.True(entry.Healthy);
        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal("gpt-4o-mini", data.GetProperty("model").GetString());
        Assert.Equal(1, server.ModelListRequests);
    }

    [Fact]
    public async Task A_refused_key_is_unhealthy_and_says_so()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ApiKey = "sk-good";

        var (entry, data) = await CheckAsync(server, "sk-wrong");

        Assert.False(entry.Healthy);
        Assert.Contains("API key", data.GetProperty("error").GetString());
        Assert.DoesNotContain("sk-wrong", data.GetRawText());
    }
}
