namespace Moltworker.Kernel.Events;

/// <summary>What the agent is doing, as <c>po_state</c> reports it.</summary>
public enum PoStatus { Idle, Thinking, CallingTool, AwaitingApproval }
