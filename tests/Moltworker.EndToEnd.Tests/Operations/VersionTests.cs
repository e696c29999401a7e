using System.Text.RegularExpressions;
using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary><c>moltworker --version</c> prints the version and the commit it was built from.</summary>
public sealed class VersionTests
{
    [Fact]
    public async Task Version_prints_the_version_and_the_commit()
    {
        using var folder = new TempFolder();
        var result = await HostProcess.RunAsync(["--version"], new Dictionary<string, string>(), folder.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+(-[\w.]+)?\+[0-9a-f]{7,40}\s*$"), result.Stdout);
    }
}
