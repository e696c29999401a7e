using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary>Tools for the MCP server's tests: one that reads, one that writes (into <see cref="McpNotes"/>), one that
/// throws, and one that needs a person's approval.</summary>
public sealed class McpTestTools(McpNotes notes)
{
    [KernelFunction("mcp_lookup"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Looks a word up")]
    public string Lookup([Description("the word")] string word) => $"{word}: found";

    [KernelFunction("mcp_write"), ToolSafety(SideEffects = true), Description("Writes a note")]
    public string Write([Description("the note")] string note)
    {
        notes.Written.Enqueue(note);
        return $"wrote {note}";
    }

    [KernelFunction("mcp_explode"), ToolSafety(SideEffects = false), Description("Always fails")]
    public string Explode() => throw new InvalidOperationException("the fuse was lit");

    [KernelFunction("mcp_guarded"), ToolSafety(SideEffects = true, NeedsApproval = true), Description("Changes something a person approves first")]
    public string Guarded([Description("the change")] string change)
    {
        notes.Written.Enqueue(change);
        return $"changed {change}";
    }
}

/// <summary>What the side-effecting test tools did.</summary>
public sealed class McpNotes
{
    public ConcurrentQueue<string> Written { get; } = new();
}
