using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moltworker.EndToEnd.Tests.Events;

namespace Moltworker.EndToEnd.Tests.Telemetry;

/// <summary>Issue 13, OpenTelemetry: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (and OTLP/HTTP protobuf), a turn's GenAI
/// metrics and traces (<c>invoke_agent</c>, <c>chat</c>, <c>execute_tool</c>) reach an OTLP receiver on loopback; the receiver here only collects the request bodies, in which
/// protobuf keeps attribute names and string values as UTF-8.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task A_turns_metrics_and_traces_are_exported_over_otlp_http()
    {
        var bodies = new ConcurrentQueue<(string Path, string Text)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            bodies.Enqueue((context.Request.Path, Encoding.UTF8.GetString(buffer.ToArray())));
            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Urls.First();

        await using (var h = await EventsHost.StartAsync([$"--OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"]))
            await h.ChatAsync("otel", "look around");
        // Disposing the host flushes the exporters.

        var metrics = string.Concat(bodies.Where(b => b.Path == "/v1/metrics").Select(b => b.Text));
        Assert.Contains("gen_ai.client.token.usage", metrics, StringComparison.Ordinal);
        Assert.Contains("gen_ai.client.operation.duration", metrics, StringComparison.Ordinal);

        // The turn's spans: it runs on the inbox's drain, started from the chat request whose (unrecorded) ASP.NET Core
        // activity the default parent-based sampler would make it drop.
        var traces = string.Concat(bodies.Where(b => b.Path == "/v1/traces").Select(b => b.Text));
        Assert.Contains("invoke_agent", traces, StringComparison.Ordinal);
        Assert.Contains("chat gpt-4o-mini", traces, StringComparison.Ordinal);
        Assert.Contains("execute_tool look", traces, StringComparison.Ordinal);
        Assert.Contains("gen_ai.tool.name", traces, StringComparison.Ordinal);
        Assert.Contains("gen_ai.tool.call.id", traces, StringComparison.Ordinal);
        Assert.Contains("gen_ai.usage.input_tokens", traces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mcp_call_s_tool_span_is_exported()
    {
        var bodies = new ConcurrentQueue<(string Path, string Text)>();
        await using var receiver = await ReceiverAsync(bodies);

        await using (var h = await Mcp.McpHost.StartAsync([$"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Urls.First()}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"]))
        await using (var client = await h.ConnectAsync())
            await client.CallToolAsync("mcp_lookup", new Dictionary<string, object?> { ["word"] = "span" });

        var traces = string.Concat(bodies.Where(b => b.Path == "/v1/traces").Select(b => b.Text));
        Assert.Contains("execute_tool mcp_lookup", traces, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> ReceiverAsync(ConcurrentQueue<(string Path, string Text)> bodies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = builder.Build();
        receiver.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            bodies.Enqueue((context.Request.Path, Encoding.UTF8.GetString(buffer.ToArray())));
            return Results.Ok();
        });
        await receiver.StartAsync();
        return receiver;
    }
}
