using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Memory;
using Moltworker.Knowledge.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Memory;
using Moltworker.Testing.Knowledge;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Benchmarks;

/// <summary>
/// The <c>context</c> bench's memory section: 1,000 memories over 100 users (10 each, one per topic drawn from 12,
/// generated with a fixed seed) stored through <see cref="MemoryService"/> in a real SQLite <c>memories</c> table; one
/// question per memory, asked as its owner. Recall@5 (and @1): the question's memory is among the first 5 recalled;
/// cross-user hits: recalled memories of another user (must be 0). The per-turn cost is
/// <see cref="MemoryPromptSection.ForTurnAsync"/> (the SQL list, the ranking and the token counting with o200k_base),
/// p50 and p99 over the 1,000 questions. Run keyword-only, then with the in-process hashing test embedder (384
/// dimensions: the vector path's cost without a network round trip, not a quality figure).
/// </summary>
public static class MemoryRecallSection
{
    private const int Users = 100;

    public static void Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task RunAsync()
    {
        var set = MemorySet.Generate(seed: 18, Users);
        foreach (var (name, generator) in new (string, IEmbeddingGenerator<string, Embedding<float>>?)[] { ("keyword", null), ("hybrid-hashing", new HashingEmbeddingGenerator()) })
        {
            var dir = Path.Combine(Path.GetTempPath(), "moltworker-bench-memory", Guid.NewGuid().ToString("N"));
            try
            {
                var result = await MeasureAsync(set, dir, generator);
                Console.WriteLine($"memory ({name}): {set.Count:N0} memories over {Users} users; recall@5 {result.Recall5:F3}, recall@1 {result.Recall1:F3}, " +
                                  $"cross-user hits {result.CrossUser}; per-turn lookup p50 {result.P50:F2} ms, p99 {result.P99:F2} ms");
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "context-memory", mode = name, memories = set.Count, users = Users, recall5 = Math.Round(result.Recall5, 3), recall1 = Math.Round(result.Recall1, 3),
                    cross_user_hits = result.CrossUser, lookup_p50_ms = Math.Round(result.P50, 3), lookup_p99_ms = Math.Round(result.P99, 3),
                }));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(dir, true); } catch (IOException) { }
            }
        }
    }

    private sealed record Result(double Recall5, double Recall1, int CrossUser, double P50, double P99);

    private static async Task<Result> MeasureAsync(IReadOnlyList<MemorySet.Item> set, string dir, IEmbeddingGenerator<string, Embedding<float>>? generator)
    {
        var db = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = dir }), MemoryMigrations.All);
        var options = MsOptions.Create(new MemoryOptions());
        var embedder = generator is null ? KnowledgeEmbedder.None : new KnowledgeEmbedder(generator, "test-hashing-384");
        var ranker = new MemoryRanker(embedder, new KnowledgeOptions(), options, NullLogger<MemoryRanker>.Instance, TimeProvider.System);
        var memories = new MemoryService(new SqliteMemoryStore(db), ranker, options, TimeProvider.System);
        var section = new MemoryPromptSection(memories, new TokenCounter());
        var model = new ModelCatalog(MsOptions.Create(new LlmOptions())).Get("gpt-4o");

        var ids = new List<string>(set.Count);
        foreach (var item in set) ids.Add((await memories.RememberAsync(item.User, item.Memory, CancellationToken.None)).Id);

        int hit5 = 0, hit1 = 0, crossUser = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var recalled = await memories.RecallAsync(set[i].User, set[i].Question, 5, CancellationToken.None);
            crossUser += recalled.Count(r => r.Memory.User != set[i].User);
            if (recalled.Any(r => r.Memory.Id == ids[i])) hit5++;
            if (recalled.Count > 0 && recalled[0].Memory.Id == ids[i]) hit1++;
        }

        var times = new double[set.Count];
        for (var i = -100; i < set.Count; i++)
        {
            var item = set[(i + set.Count) % set.Count];
            var (channel, user) = (item.User[..item.User.IndexOf(':')], item.User[(item.User.IndexOf(':') + 1)..]);
            var message = new IncomingMessage(new ChatAddress(channel, "bench", user), item.Question);
            var start = Stopwatch.GetTimestamp();
            await section.ForTurnAsync(message, model, CancellationToken.None);
            if (i >= 0) times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return new Result((double)hit5 / set.Count, (double)hit1 / set.Count, crossUser, times[set.Count / 2], times[(int)(set.Count * 0.99)]);
    }
}
