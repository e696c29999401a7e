using System.Runtime.InteropServices;
using Moltworker.Host.Runtime;
using Moltworker.Testing.Time;

namespace Moltworker.EndToEnd.Tests.Host;

public sealed class NativeHeapTrimmerTests
{
    [Fact]
    public void Trims_once_per_interval_until_disposed()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var trimmer = new NativeHeapTrimmer(TimeSpan.FromSeconds(10), time, () => Interlocked.Increment(ref calls));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, Volatile.Read(ref calls));
        time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(3, Volatile.Read(ref calls));
        Assert.Equal(3, trimmer.Trims);

        trimmer.Dispose();
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public void Trim_calls_glibc_on_linux()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Every other 64 KB block freed: whole free pages in the middle of the arena, which only a trim gives back
        // (malloc_trim returns 1 when it released memory; a wrong binding makes Trim return false).
        var blocks = Enumerable.Range(0, 64).Select(_ => Marshal.AllocHGlobal(64 * 1024)).ToList();
        foreach (var block in blocks.Where((_, i) => i % 2 == 0)) Marshal.FreeHGlobal(block);
        var released = NativeHeap.Trim();
        foreach (var block in blocks.Where((_, i) => i % 2 == 1)) Marshal.FreeHGlobal(block);
        Assert.True(released);
        using var trimmer = NativeHeap.StartTrimming();
        Assert.NotNull(trimmer);
    }

    [Fact]
    public void Large_blocks_keep_a_mapping_of_their_own_on_linux()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return;
        try
        {
            Assert.True(NativeHeap.MapLargeBlocks());
            // glibc's own threshold rises to the size of the largest mapped block freed: after a 16 MB block, a 12 MB one
            // would come from an arena. With the threshold fixed it still gets a mapping of its own, which glibc marks
            // with bit 1 (IS_MMAPPED) of the size word just before the block. 12 MB, not less: a block that fits in
            // the free space at the top of the thread's arena comes from there whatever the threshold, and the tests
            // running beside this one (same process) can leave a few MB there; with 2 MB the test failed now and then.
            var first = Marshal.AllocHGlobal(16 << 20);
            var firstMapped = IsMapped(first);
            Marshal.FreeHGlobal(first);
            var second = Marshal.AllocHGlobal(12 << 20);
            var secondMapped = IsMapped(second);
            Marshal.FreeHGlobal(second);
            Assert.True(firstMapped);
            Assert.True(secondMapped);
        }
        finally
        {
            // The trim test above frees 64 KB blocks in the middle of an arena: put blocks under 128 KB back in the arenas.
            NativeHeap.MapLargeBlocks(128 * 1024);
        }
    }

    private static bool IsMapped(IntPtr block) => (Marshal.ReadInt64(block, -8) & 2) != 0;
}
