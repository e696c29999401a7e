using Moltworker.Kernel.Ids;

namespace Moltworker.Kernel.Memory;

/// <summary>Memory ids: ten lower-case hex digits, short enough to type after <c>/memory forget</c>.</summary>
public static class MemoryIds
{
    public static string New() => RandomHex.Of(5);
}
