using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Moltworker.Kernel.State;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>The /healthz "model" entry tells "the endpoint answers" (reachable) apart from "it is an OpenAI-compatible
/// API" (compatible), probing real loopback servers.</summary>
public sealed class ModelHealthProbeTests
{
    private static async Task<(HealthEntry Entry, JsonElement Data)> CheckAsync(string baseUrl, string key = "")
    {
        await using var kernel = TestKernel.Create(settings: new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = baseUrl,
            ["Moltworker:Llm:ApiKey"] = key,
            ["Moltworker:Llm:Model"] = "llama3.1:8b",
        });
        var model = kernel.Get<IEnumerable<IHealthContributor>>().Single(h => h.Name == "model");
        var entry = await model.CheckAsync(CancellationToken.None);
        return (entry, JsonSerializer.SerializeToElement(entry.Data));
    }

    private static int? Status(JsonElement data) =>
        data.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;

    private static bool? Compatible(JsonElement data) =>
        data.TryGetProperty("compatible", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : null;

    [Fact]
    public async Task A_base_url_without_v1_is_reachable_but_not_an_OpenAI_API_and_the_hint_suggests_v1()
    {
        await using var server = await ProviderLookalike.StartAsync();

        var (entry, data) = await CheckAsync(server.Root);

        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal(404, Status(data));
        Assert.False(Compatible(data));
        Assert.False(entry.Healthy);
        Assert.Contains("404", data.GetProperty("error").GetString());
        Assert.NotNull(entry.Hint);
        Assert.Contains("Moltworker:Llm:BaseUrl", entry.Hint);
        Assert.Contains(server.Root + "/v1", entry.Hint);
    }

    [Fact]
    public async Task The_same_server_with_v1_is_compatible_and_healthy()
    {
        await using var server = await ProviderLookalike.StartAsync();

        var (entry, data) = await CheckAsync(server.Root + "/v1");

        Assert.True(entry.Healthy);
        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal(200, Status(data));
        Assert.True(Compatible(data));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("error").ValueKind);
        Assert.Null(entry.Hint);
        Assert.Equal(1, server.ModelListRequests);
    }

    [Fact]
    public async Task A_model_list_longer_than_the_part_the_probe_reads_is_compatible()
    {
        await using var server = await ProviderLookalike.StartAsync();

        var (entry, data) = await CheckAsync(server.Root + "/big/v1");

        Assert.True(entry.Healthy);
        Assert.True(Compatible(data));
    }

    [Fact]
    public async Task A_web_page_answering_200_is_reachable_but_not_a_model_list()
    {
        await using var server = await ProviderLookalike.StartAsync();

        var (entry, data) = await CheckAsync(server.Root + "/ui");

        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal(200, Status(data));
        Assert.False(Compatible(data));
        Assert.False(entry.Healthy);
        Assert.Contains("model list", data.GetProperty("error").GetString());
        Assert.Contains("Moltworker:Llm:BaseUrl", entry.Hint);
    }

    [Fact]
    public async Task A_refused_key_is_reachable_and_reported_as_a_key_problem()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ApiKey = "sk-good";

        var (entry, data) = await CheckAsync(server.BaseUrl, "sk-wrong");

        Assert.False(entry.Healthy);
        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal(401, Status(data));
        Assert.Contains("API key", data.GetProperty("error").GetString());
        Assert.Contains("Moltworker:Llm:ApiKey", entry.Hint);
        Assert.DoesNotContain("sk-wrong", data.GetRawText());
        Assert.DoesNotContain("sk-wrong", entry.Hint);
    }

    [Fact]
    public async Task A_closed_port_is_not_reachable_and_has_no_status()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (entry, data) = await CheckAsync($"http://127.0.0.1:{port}/v1");

        Assert.False(entry.Healthy);
        Assert.False(data.GetProperty("reachable").GetBoolean());
        Assert.Null(Status(data));
        Assert.Null(Compatible(data));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task The_hint_quotes_the_base_url_without_credentials()
    {
        await using var server = await ProviderLookalike.StartAsync();
        var withSecrets = server.Root.Replace("http://", "http://user:s3cret@");

        var (entry, _) = await CheckAsync(withSecrets);

        Assert.NotNull(entry.Hint);
        Assert.Contains(server.Root + "/v1", entry.Hint);
        Assert.DoesNotContain("s3cret", entry.Hint);
    }
}
