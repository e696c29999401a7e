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
}
