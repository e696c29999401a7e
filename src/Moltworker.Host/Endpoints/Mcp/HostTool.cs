using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Moltworker.Abstractions;

namespace Moltworker.Host.Endpoints.Mcp;

/// <summary>
/// One of the host's tools as an MCP tool: its name, description and JSON schema as the model sees them, and its safety
/// declarations as hints (<c>readOnlyHint</c> when it declares no side effects, <c>destructiveHint</c> when it does,
/// which an undeclared tool does; <c>idempotentHint</c> when running it again changes nothing more). A call goes to
/// <see cref="McpToolCalls"/>, which runs it as a durable task through the same filters as a model's call.
/// </summary>
public sealed class HostTool : McpServerTool
{
    private readonly McpToolCalls _calls;

    public HostTool(string name, AIFunction function, McpToolCalls calls)
    {
        _calls = calls;
        Function = function;
        var metadata = ToolMetadata.Of(function);
        ProtocolTool = new Tool
        {
            Name = name,
            Description = function.Description,
            InputSchema = function.JsonSchema,
            Annotations = new ToolAnnotations
            {
                ReadOnlyHint = !metadata.SideEffects,
                DestructiveHint = metadata.SideEffects,
                IdempotentHint = metadata.SafeToRepeat,
            },
        };
    }

    /// <summary>The catalog's function this tool stands for (compared to tell a replaced plugin's tool from the same one).</summary>
    public AIFunction Function { get; }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        _calls.CallAsync(ProtocolTool.Name, request.Params?.Arguments, request.User, cancellationToken);
}
