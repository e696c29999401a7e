using System.ComponentModel;
using System.Text;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Memory.Tools;

/// <summary>
/// <c>remember</c>, <c>recall</c> and <c>forget</c>: long-term memory of the user the turn belongs to. The user comes
/// from the call's <see cref="ToolContext"/> (the turn's channel and user), never from an argument, so the model cannot
/// reach another user's memories. Remembering and forgetting change what later turns see, so they are side-effecting
/// (the approval policy applies to them; by default they run without asking); forgetting twice is harmless, so
/// <c>forget</c> is idempotent.
/// </summary>
[Plugin("Memory", Description = "Long-term memory of facts and preferences about the user, across chats.")]
public sealed class MemoryPlugin(MemoryService memories)
{
    [KernelFunction("remember")]
    [ToolSafety(SideEffects = true)]
    [Description("Remembers a fact or preference about the user for later conversations (\"prefers metric units\", " +
                 "\"has a dog called Rex\"). One self-contained statement per call. Returns the memory's id.")]
    public async Task<string> RememberAsync(
        [Description("The fact or preference, as a short self-contained sentence.")] string text,
        ToolContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var memory = await memories.RememberAsync(MemoryUser.Of(context), text, cancellationToken);
            return $"Remembered as {memory.Id}: {memory.Text}";
        }
        catch (MemoryRefusedException ex) { throw new ToolException(ex.Message); }
    }

    [KernelFunction("recall")]
    [ToolSafety(SideEffects = false, ParallelSafe = true)]
    [Description("Searches what you remember about the user. Returns the best matching memories with their ids.")]
    public async Task<string> RecallAsync(
        [Description("What to look for, in words.")] string query,
        ToolContext context,
        [Description("Most memories to return (default 5).")] int top = 5,
        CancellationToken cancellationToken = default)
    {
        var user = MemoryUser.Of(context) ?? throw new ToolException("Memories belong to a user, and this call comes from none.");
        var found = await memories.RecallAsync(user, query, Math.Clamp(top, 1, 50), cancellationToken);
        if (found.Count == 0) return "No memory matches.";
        var text = new StringBuilder();
        foreach (var hit in found) text.Append(MemoryPromptSection.Line(hit.Memory));
        return text.ToString().TrimEnd();
    }

    [KernelFunction("forget")]
    [ToolSafety(SideEffects = true, Idempotent = true)]
    [Description("Forgets one memory about the user by its id (from recall or the memories in your instructions).")]
    public async Task<string> ForgetAsync(
        [Description("The memory's id.")] string id,
        ToolContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await memories.ForgetAsync(MemoryUser.Of(context), id, cancellationToken)
                ? $"Forgot memory {id.Trim()}."
                : throw new ToolException($"This user has no memory {id.Trim()}; recall shows the ids.");
        }
        catch (MemoryRefusedException ex) { throw new ToolException(ex.Message); }
    }
}
