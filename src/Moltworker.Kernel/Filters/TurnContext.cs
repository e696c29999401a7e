using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Filters;

/// <summary>The state of one agent turn as it moves through its phases.</summary>
public sealed class TurnContext
{
    public required string TaskId { get; init; }
    public required ChatAddress Address { get; init; }

    /// <summary>The full message list sent to the model; the loop appends to it.</summary>
    public required List<ChatMessage> History { get; init; }

    /// <summary>Index in <see cref="History"/> where this turn's new messages start.</summary>
    public int TurnStart { get; set; }

    /// <summary>The stored conversation the earlier messages in <see cref="History"/> came from (their ids and the
    /// summary before them), which compaction replaces; null when the turn did not load it (resumed from a checkpoint, a
    /// delegated thread).</summary>
    public State.ConversationHistory? Stored { get; set; }

    public required ModelInfo Model { get; set; }
    public string Agent { get; init; } = "default";

    /// <summary>The phase now running: plan, work or review.</summary>
    public string Phase { get; set; } = "work";

    /// <summary>Step counter across phases: one per model call. Used for idempotency keys.</summary>
    public int Step { get; set; }

    public int ToolCalls { get; set; }
    public int ConsecutiveErrors { get; set; }
    public UsageDetails Usage { get; } = new();

    /// <summary>The final answer once the loop has one.</summary>
    public string? FinalText { get; set; }

    /// <summary>Called with text as it streams from the model (null: no streaming).</summary>
    public Func<string, Task>? OnTextDelta { get; init; }

    public CancellationToken CancellationToken { get; set; }

    /// <summary>Index of the phase now running in the agent's phase list (kept in checkpoints).</summary>
    public int PhaseIndex { get; set; }

    /// <summary>The turn has a task row: checkpoints are written.</summary>
    public bool IsTracked { get; set; }

    /// <summary>When this process created the turn's task row (null for a task resumed from the store).</summary>
    public DateTimeOffset? TaskCreatedAt { get; set; }

    /// <summary>The turn continues after a budget hit or a restart: results may be in the journal.</summary>
    public bool IsResumed { get; set; }

    /// <summary>The phase now running offers the model tools (a phase prompt's front matter may say <c>tools: false</c>).</summary>
    public bool OffersTools { get; set; } = true;

    /// <summary>How often a phase of an untracked turn ran out of its budget (tracked tasks count in their store).</summary>
    public int BudgetHits { get; set; }

    /// <summary>Set on a delegated (child) thread: its id, the chain of agents above it and its parent turn.</summary>
    public Agents.AgentThread? Thread { get; init; }

    /// <summary>The message began with <c>/nocache</c>: no call of this turn (or of the threads it delegates to) is
    /// answered from the tool-result cache; fresh results are still stored for later turns.</summary>
    public bool BypassToolCache { get; init; }

    /// <summary>The tool calls of the whole task, shared by its root turn and every delegated thread.</summary>
    public Agents.TaskCallBudget TaskCalls { get; init; } = new();
}

/// <summary>Where a conversation lives: channel, chat and the user speaking.</summary>
public sealed record ChatAddress(string Channel, string ChatId, string? UserId = null)
{
    public string ConversationKey => $"{Channel}:{ChatId}";
    public static readonly ChatAddress Local = new("console", "local", "local");
}
