using System.Net.Http.Json;
using System.Text.Json;

namespace Moltworker.Benchmarks;

/// <summary>The host's memory at turn 1,000 and turn 10,000: VmRSS from /proc, the managed heap after the last GC and
/// the gen0 budget from <c>/healthz</c>'s "memory" entry.</summary>
public sealed class MemorySamples(BenchHost host, HttpClient http, int lateTurn = MemorySamples.Late)
{
    public const int EarlyTurn = 1000;
    public const int Late = 10_000;

    public int LateTurn => lateTurn;

    public Sample Early { get; private set; } = Sample.None;
    public Sample LateSample { get; private set; } = Sample.None;

    public async Task AfterTurnAsync(int turnsDone)
    {
        if (turnsDone == EarlyTurn) Early = await ReadAsync();
        else if (turnsDone == lateTurn) LateSample = await ReadAsync();
    }

    private async Task<Sample> ReadAsync()
    {
        var rss = host.RssMb();
        var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
        var memory = health.GetProperty("memory");
        var budget = memory.TryGetProperty("gen0BudgetMb", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDouble() : 0;
        return new Sample(Math.Round(rss, 1), Math.Round(host.StatusMb("RssAnon:"), 1), Math.Round(host.StatusMb("RssFile:"), 1),
            Math.Round(host.StatusMb("RssShmem:"), 1),
            memory.GetProperty("heapAfterLastGcMb").GetDouble(), budget);
    }

    public sealed record Sample(double RssMb, double AnonMb, double FileMb, double SharedMb, double HeapAfterGcMb, double Gen0BudgetMb)
    {
        public static readonly Sample None = new(0, 0, 0, 0, 0, 0);
        public override string ToString() =>
            $"RSS {RssMb:F1} MB (anonymous {AnonMb:F1}, files {FileMb:F1}, shared {SharedMb:F1}), managed heap after GC {HeapAfterGcMb:F1} MB, gen0 budget {Gen0BudgetMb:F1} MB";
    }
}
