using Microsoft.Extensions.AI;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Filters;

/// <summary>One tool call on its way through the call filters.</summary>
public sealed class CallContext
{
    public required FunctionCallContent Call { get; init; }

    /// <summary>The resolved tool, or null when the name is unknown (then a result is already set).</summary>
    public AIFunction? Function { get; init; }

    public ToolMetadata Metadata => Function is null ? ToolMetadata.Undeclared : ToolMetadata.Of(Function);

    public required AIFunctionArguments Arguments { get; init; }

    /// <summary>Position of this call in its batch (the model's order).</summary>
    public int Index { get; init; }

    public BatchContext? Batch { get; set; }

    /// <summary>Rebuilt by the retry filter for each attempt.</summary>
    public required ToolContext Tool { get; set; }

    public ToolResult? Result { get; set; }

    /// <summary>The arguments the call's kernel invocation carries (set at dispatch, shared by its attempts): a kernel
    /// filter knows the invocation is this call's by them (<see cref="SemanticKernel.CallScope"/>).</summary>
    public Microsoft.SemanticKernel.KernelArguments? KernelArguments { get; set; }

    public CancellationToken CancellationToken { get; set; }
}
