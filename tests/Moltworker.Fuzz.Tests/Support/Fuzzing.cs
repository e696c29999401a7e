using System.Diagnostics;
using System.Globalization;
using CsCheck;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Support;

/// <summary>
/// Runs one parser's property over <see cref="Iterations"/> generated cases (10,000 unless <c>MOLTWORKER_FUZZ_ITERATIONS</c>
/// says otherwise) and reports the cases per second. A failure shows CsCheck's shrunk case and its seed: save the
/// case as a test in Regressions/.
/// </summary>
public static class Fuzzing
{
    public const string IterationsVariable = "MOLTWORKER_FUZZ_ITERATIONS";

    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;

    public static void Run<T>(string parser, Gen<T> gen, Action<T> property, ITestOutputHelper output)
    {
        var iterations = Iterations;
        var clock = Stopwatch.StartNew();
        gen.Sample(property, iter: iterations, threads: 1);
        var seconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz {parser}: {iterations} cases in {seconds:0.00} s = {iterations / Math.Max(seconds, 1e-9):0} cases/s"));
    }
}
