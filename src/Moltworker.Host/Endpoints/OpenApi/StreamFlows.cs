using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Moltworker.Host.Endpoints.OpenApi;

/// <summary>Describes the two streaming routes, which OpenAPI cannot model as request and response bodies:
/// <c>GET /api/events</c> (Server-Sent Events) and <c>GET /api/ws</c> (a WebSocket). Each gets a prose description of
/// the flow and an <c>x-moltworker-stream</c> extension with its protocol, filters and frames.</summary>
public sealed class StreamFlows : IOpenApiOperationTransformer
{
    private const string Filters = "Filters (query): `task` (a task id), `chat` (a chat id) and `channel`. Resume after an event id with the " +
                                   "`Last-Event-ID` header or the `lastEventId` query parameter; what was missed is replayed first, nothing twice.";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        switch (context.Description.RelativePath?.TrimEnd('/'))
        {
            case "api/events":
                operation.Summary = "Live event stream (Server-Sent Events)";
                operation.Description = "A `text/event-stream` of the kernel's events (`po_state`, `tool_call_started`, `parallel_batch_started`, " +
                                        "`task_completed`, … see docs/events.md). Each frame has `id:` (the event id), `event:` (its name) and " +
                                        "`data:` (the event as JSON: id, event, task_id, thread_id, agent, batch_id, call_id, at, data). " + Filters +
                                        " A client that falls too far behind is disconnected and may reconnect with its last id.";
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions["x-moltworker-stream"] = new JsonNodeExtension(new JsonObject
                {
                    ["protocol"] = "sse", ["contentType"] = "text/event-stream", ["resume"] = "Last-Event-ID",
                    ["frame"] = new JsonArray("id", "event", "data"),
                });
                break;
            case "api/ws":
                operation.Summary = "Events and chat over a WebSocket";
                operation.Description = "Upgrade with `Connection: Upgrade`, `Upgrade: websocket`. The server sends each event as a text message " +
                                        "`{\"type\":\"event\",\"event\":{…}}` (the event as in the `data:` of `/api/events`). The client may send " +
                                        "`{\"type\":\"chat\",\"chatId\":…,\"text\":…,\"messageId\"?:…}` (needs the `chat` scope) and receives that turn's " +
                                        "events and `{\"type\":\"answer\",\"taskId\",\"text\",…}`, or `{\"type\":\"error\",\"status\",\"detail\"}`. " +
                                        Filters + " The server pings every `Moltworker:Events:Heartbeat` and drops a peer that does not answer; a client " +
                                        $"that falls behind is closed with code {Events.SocketCloseCodes.TooSlow}. A plain HTTP request gets 400.";
                operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                operation.Extensions["x-moltworker-stream"] = new JsonNodeExtension(new JsonObject
                {
                    ["protocol"] = "websocket", ["resume"] = "lastEventId",
                    ["clientMessages"] = new JsonArray("chat"), ["serverMessages"] = new JsonArray("event", "answer", "error"),
                });
                break;
        }
        return Task.CompletedTask;
    }
}
