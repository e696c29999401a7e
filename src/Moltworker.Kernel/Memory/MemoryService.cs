using Microsoft.Extensions.Options;

namespace Moltworker.Kernel.Memory;

/// <summary>
/// What every door to memories uses (the tools, <c>/memory</c>, the per-turn prompt): checks the input, embeds new
/// memories when an embedding model is configured, and searches only the memories of the user asking (the store
/// filters by user; the ranker sees nothing else).
/// </summary>
public sealed class MemoryService(IMemoryStore store, IMemoryRanker ranker, IOptions<MemoryOptions> options, TimeProvider time)
{
    public MemoryOptions Options => options.Value;

    public async Task<UserMemory> RememberAsync(string? user, string text, CancellationToken cancellationToken)
    {
        var owner = Require(user);
        text = text.Trim();
        if (text.Length == 0) throw new MemoryRefusedException("There is nothing to remember: the text is empty.");
        if (text.Length > Options.MaxLength)
            throw new MemoryRefusedException($"A memory holds at most {Options.MaxLength} characters (Moltworker:Memory:MaxLength); this one has {text.Length}. Store the gist.");
        var memory = new UserMemory(MemoryIds.New(), owner, text, time.GetUtcNow())
        {
            Embedding = await ranker.EmbedAsync(text, cancellationToken),
        };
        if (!await store.AddAsync(memory, Options.MaxPerUser, cancellationToken))
            throw new MemoryRefusedException($"This user already has {Options.MaxPerUser} memories (Moltworker:Memory:MaxPerUser); forget some first (/memory lists them).");
        return memory;
    }

    /// <summary>The user's memories most relevant to <paramref name="query"/>, best first (none without a user).</summary>
    public async Task<IReadOnlyList<RankedMemory>> RecallAsync(string? user, string query, int top, CancellationToken cancellationToken)
    {
        if (user is null || string.IsNullOrWhiteSpace(query) || top <= 0) return [];
        var memories = await store.ListAsync(user, ranker.UsesVectors, cancellationToken);
        return memories.Count == 0 ? [] : await ranker.RankAsync(query, memories, top, cancellationToken);
    }

    public Task<IReadOnlyList<UserMemory>> ListAsync(string? user, CancellationToken cancellationToken) =>
        store.ListAsync(Require(user), withEmbeddings: false, cancellationToken);

    public Task<bool> ForgetAsync(string? user, string id, CancellationToken cancellationToken) =>
        store.RemoveAsync(Require(user), id.Trim(), cancellationToken);

    public Task<int> ClearAsync(string? user, CancellationToken cancellationToken) => store.ClearAsync(Require(user), cancellationToken);

    private static string Require(string? user) =>
        user ?? throw new MemoryRefusedException("Memories belong to a user, and this message names none.");
}
