using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Moltworker.Testing.Time;
using Moltworker.Kernel.Hosting;

namespace Moltworker.Kernel.Tests.Hosting;

public class RuntimeHealthTests
{
    [Fact]
    public async Task The_entry_reports_the_jit_so_far_and_the_uptime_by_the_given_clock()
    {
        using var process = Process.GetCurrentProcess();
        var time = new FakeTimeProvider(new DateTimeOffset(process.StartTime.ToUniversalTime()).AddSeconds(42.04));
        var before = JitInfo.GetCompiledMethodCount();

        var entry = await new RuntimeHealth(time).CheckAsync(CancellationToken.None);

        var data = JsonSerializer.SerializeToElement(entry.Data);
        Assert.True(entry.Healthy);
        Assert.Equal(42.0, data.GetProperty("uptimeS").GetDouble());
        var methods = data.GetProperty("jit").GetProperty("methods").GetInt64();
        Assert.InRange(methods, before, JitInfo.GetCompiledMethodCount());
        Assert.True(data.GetProperty("jit").GetProperty("ms").GetDouble() > 0);
        Assert.True(data.GetProperty("threadPool").GetProperty("threads").GetInt32() > 0);
    }
}
