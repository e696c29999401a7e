using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Moltworker.EndToEnd.Tests.Events;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Endpoints.Mcp;
using Moltworker.Kernel.Hosting;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary>The real host (no model needed) with <see cref="McpTestTools"/>, and MCP clients of its <c>/mcp</c> made with
/// the MCP C# SDK over Streamable HTTP.</summary>
public sealed class McpHost : IAsyncDisposable
{
    private McpHost(RunningHost host, McpNotes notes)
    {
        Host = host;
        Notes = notes;
    }

    public RunningHost Host { get; }
    public McpNotes Notes { get; }
    public HttpClient Http => Host.Http;
    public Uri Endpoint => new(Http.BaseAddress!, McpServerApi.Route);

    public static async Task<McpHost> StartAsync(IEnumerable<string>? settings = null)
    {
        var notes = new McpNotes();
        var host = await RunningHost.StartAsync([.. RunningHost.NoModel, "--Moltworker:Api:RateLimit:Enabled=false", .. settings ?? []],
            configure: services =>
            {
                services.AddSingleton(notes);
                services.AddPlugin<McpTestTools>();
            });
        return new McpHost(host, notes);
    }

    /// <summary>An MCP client of <c>/mcp</c>, sending <paramref name="key"/> as its bearer token when given.</summary>
    public Task<McpClient> ConnectAsync(string? key = null, McpClientOptions? options = null) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = key is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        }), options);

    /// <summary>The task a result names in its <c>_meta</c>.</summary>
    public static string TaskOf(CallToolResult result) => result.Meta?[McpToolCalls.TaskIdMeta]?.GetValue<string>()
        ?? throw new Xunit.Sdk.XunitException("the result names no task");

    public static string TextOf(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    /// <summary>A task's stored events, once its last one (<paramref name="last"/>) is stored.</summary>
    public Task<IReadOnlyList<WireEvent>> EventsAsync(string taskId, string last = "task_completed") =>
        Host.EventuallyAsync(async () =>
        {
            var body = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}/events");
            return (IReadOnlyList<WireEvent>)body.GetProperty("events").EnumerateArray().Select(WireEvent.From).ToList();
        }, events => events.Any(e => e.Name == last), $"{last} of task {taskId} to be stored");

    /// <summary>The task as <c>GET /api/tasks/{id}</c> shows it.</summary>
    public Task<JsonElement> TaskAsync(string taskId) => Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}");

    /// <summary>The transaction log's tool rows of a task, once there is one.</summary>
    public Task<JsonElement> ToolRowsAsync(string taskId) =>
        Host.EventuallyAsync(() => Http.GetFromJsonAsync<JsonElement>($"/api/transactions?task={taskId}&kind=tool"),
            body => Rows(body).Any(), $"a transaction row of task {taskId}");

    public static IEnumerable<JsonElement> Rows(JsonElement body) => body.GetProperty("transactions").EnumerateArray();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
