using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Moltworker.Abstractions;
using Moltworker.Mcp.Options;

namespace Moltworker.Mcp.Tools;

/// <summary>
/// One tool of an MCP server as an <see cref="AIFunction"/>: the server's name, description and input schema, our
/// <see cref="ToolMetadata"/> in <c>AdditionalProperties</c>, and a call that turns the MCP result into text. A result
/// with <c>isError</c> (or a protocol error) becomes a <see cref="ToolException"/>, which the kernel turns into an
/// error result the model reads, like any tool's failure.
/// </summary>
public sealed class McpToolFunction : DelegatingAIFunction
{
    private readonly McpClientTool _tool;
    private readonly string _server;
    private readonly IReadOnlyDictionary<string, object?> _properties;
    private readonly Action<Exception>? _unreachable;

    /// <param name="unreachable">Told when a call found the server unreachable (so the connection starts over).</param>
    public McpToolFunction(McpClientTool tool, string server, McpServerSettings settings, Action<Exception>? unreachable = null) : base(tool)
    {
        _tool = tool;
        _server = server;
        _unreachable = unreachable;
        _properties = new Dictionary<string, object?> { [ToolMetadata.Key] = MetadataFor(tool.ProtocolTool, server, settings) };
    }

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;

    /// <summary>The tool as the server described it.</summary>
    public Tool ProtocolTool => _tool.ProtocolTool;

    /// <summary>The tool's safety declarations from its MCP annotations: <c>readOnlyHint</c> means no side effects and
    /// parallel-safe, <c>idempotentHint</c> means idempotent; without annotations a tool is side-effecting and sequential
    /// (<c>destructiveHint</c> cannot lift that: an additive tool still changes something). A server-wide setting only
    /// overrides.</summary>
    public static ToolMetadata MetadataFor(Tool tool, string server, McpServerSettings settings) => new()
    {
        Plugin = server,
        ParallelSafe = settings.ParallelSafe ?? tool.Annotations?.ReadOnlyHint == true,
        SideEffects = settings.SideEffects ?? tool.Annotations?.ReadOnlyHint != true,
        Idempotent = settings.Idempotent ?? tool.Annotations?.IdempotentHint == true,
        Timeout = settings.TimeoutSeconds > 0 ? TimeSpan.FromSeconds(settings.TimeoutSeconds) : null,
        NeedsApproval = settings.NeedsApproval,
    };

    /// <summary>
    /// The name offered to the model: OpenAI-compatible APIs take only [A-Za-z0-9_-], at most 64 characters, so other
    /// characters become '_' (the server is still called with its own name).
    /// </summary>
    public static string ModelName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray();
        var clean = new string(chars);
        return clean.Length > 64 ? clean[..64] : clean.Length == 0 ? "_" : clean;
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var args = arguments.ToDictionary(kv => kv.Key, kv => kv.Value);
        CallToolResult result;
        try
        {
            result = await _tool.CallAsync(args, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (McpProtocolException ex)
        {
            throw new ToolException($"MCP server {_server} refused the call: {ex.Message}", inner: ex);
        }
        catch (Exception ex) when (ex is McpException or HttpRequestException or IOException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            _unreachable?.Invoke(ex);
            throw new ToolException($"MCP server {_server} is not reachable: {ex.Message}", transient: true, inner: ex);
        }
        var text = Render(result);
        if (result.IsError == true) throw new ToolException(text.Length > 0 ? text : $"tool {Name} of MCP server {_server} failed");
        return text;
    }

    /// <summary>The text blocks joined; structured content when there is no text; other blocks named.</summary>
    public static string Render(CallToolResult result)
    {
        var parts = new List<string>();
        foreach (var block in result.Content)
        {
            parts.Add(block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock i => $"[image {i.MimeType}]",
                AudioContentBlock a => $"[audio {a.MimeType}]",
                EmbeddedResourceBlock r => r.Resource is TextResourceContents tr ? tr.Text : $"[resource {r.Resource.Uri}]",
                ResourceLinkBlock l => $"[resource {l.Uri}]",
                _ => $"[{block.Type}]",
            });
        }
        if (parts.Count == 0 && result.StructuredContent is { } structured) return JsonSerializer.Serialize(structured, McpJsonUtilities.DefaultOptions);
        return string.Join("\n", parts);
    }
}
