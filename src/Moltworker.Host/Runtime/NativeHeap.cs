using System.Runtime.InteropServices;

namespace Moltworker.Host.Runtime;

/// <summary>
/// Caps glibc's malloc arenas at two before the host starts its work. By default glibc gives each thread that meets
/// contention an arena of its own, up to eight per core, and a freed block stays in its arena: over thousands of turns
/// the thread pool's threads each keep a partly used arena, and the process's native memory creeps up. The kernel
/// benchmark measured the host's growth from turn 1,000 to 10,000 at 13.9 MB without the cap and 10.9 MB with it
/// (docs/operations.md). The same as <c>MALLOC_ARENA_MAX=2</c>, which the operator can still set instead: an
/// explicit environment setting wins. Nothing happens on other C libraries or operating systems.
/// </summary>
public static partial class NativeHeap
{
    private const int M_ARENA_MAX = -8;

    public static void LimitArenas(int arenas = 2)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try { _ = mallopt(M_ARENA_MAX, arenas); }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { }   // musl has no mallopt arenas
    }

    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>The block size from which <see cref="MapLargeBlocks"/> gives a block its own mapping.</summary>
    public const int LargeBlock = 64 * 1024;

    /// <summary>
    /// Gives every malloc block of <paramref name="threshold"/> bytes or more a mapping of its own, unmapped when it is
    /// freed (glibc's <c>M_MMAP_THRESHOLD</c>, as <c>MALLOC_MMAP_THRESHOLD_</c>, which wins when set). glibc's own
    /// threshold starts at 128 KB and rises to the largest mapped block freed so far (and the size kept free at the top of
    /// an arena with it, up to 64 MB), so large blocks freed after start-up, many of them the JIT's (with tiered
    /// compilation off the arenas held 13 MB less), stayed resident in the arenas. The host's malloc memory after 1,000
    /// kernel-benchmark turns was 16-21 MB with 64 KB against 24-26 MB without (docs/operations.md, "Memory"). Blocks
    /// that fit in an arena's free space still come from there. False where nothing was set.
    /// </summary>
    public static bool MapLargeBlocks(int threshold = LargeBlock)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return false;
        try { return mallopt(M_MMAP_THRESHOLD, threshold) == 1; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>The interval of <see cref="StartTrimming"/>.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    /// <summary>Returns the free pages of every malloc arena to the system (glibc's <c>malloc_trim(0)</c>); false where
    /// there is nothing to call (not Linux, or a C library without it) or nothing was released.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return malloc_trim(0) != 0; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Trims every <see cref="TrimInterval"/> until disposed, on Linux; null elsewhere.</summary>
    public static NativeHeapTrimmer? StartTrimming(TimeProvider? time = null) =>
        OperatingSystem.IsLinux() ? new NativeHeapTrimmer(TrimInterval, time ?? TimeProvider.System, () => Trim()) : null;

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
