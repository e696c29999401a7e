using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// The <see cref="KernelFunction"/> behind a catalog function: the function itself (an SK plugin method, also behind a
/// rename), or SK's adapter around any other <see cref="AIFunction"/> (<c>[Tool]</c> methods, MCP tools), made once per
/// function and kept only as long as the function lives (an unloaded plugin's functions are not held). Null when SK
/// refuses the name (it allows letters, digits and underscores).
/// </summary>
public static partial class KernelFunctions
{
    private static readonly ConditionalWeakTable<AIFunction, KernelFunction?> Adapters = new();

    public static KernelFunction? For(AIFunction function)
    {
        if (function.GetService(typeof(KernelFunction)) is KernelFunction own) return own;
        return Adapters.GetValue(function, static f => ValidName().IsMatch(f.Name) ? Adapt(f) : null);
    }

#pragma warning disable SKEXP0001 // AIFunction → KernelFunction is marked experimental
    private static KernelFunction Adapt(AIFunction function) => function.AsKernelFunction();
#pragma warning restore SKEXP0001

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex ValidName();
}
