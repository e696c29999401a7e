using Moltworker.Kernel.Memory;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Long-term memories: read back as stored (vectors too), the limit per user, and no statement that reaches
/// another user's memories (list, forget by id, clear, and the limit count).</summary>
public abstract class MemorySuite : StoreSuite
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private const string Anna = "telegram:1";
    private const string Bert = "telegram:2";

    private static UserMemory Make(string id, string user, string text, int minutes, float[]? vector = null) =>
        new(id, user, text, T0.AddMinutes(minutes)) { Embedding = vector };

    [SkippableFact]
    public async Task Memories_read_back_oldest_first_with_their_vectors_and_only_for_their_owner()
    {
        var store = Stores.Memories();
        var tea = Make("a000000001", Anna, "Prefers green tea", 2, [0.6f, 0.8f, 0f]);
        var dog = Make("a000000002", Anna, "Has a dog called Rex", 1);
        var bert = Make("b000000001", Bert, "Lives in Oslo", 0, [1f, 0f, 0f]);
        foreach (var m in new[] { tea, dog, bert }) Assert.True(await store.AddAsync(m, 10, default));

        var anna = await store.ListAsync(Anna, withEmbeddings: true, default);
        Assert.Equal(["a000000002", "a000000001"], anna.Select(m => m.Id));
        Assert.Equal(("Prefers green tea", T0.AddMinutes(2), Anna), (anna[1].Text, anna[1].CreatedAt, anna[1].User));
        Assert.Equal([0.6f, 0.8f, 0f], anna[1].Embedding!);
        Assert.Null(anna[0].Embedding);
        Assert.All(await store.ListAsync(Anna, withEmbeddings: false, default), m => Assert.Null(m.Embedding));
        Assert.Equal(["b000000001"], (await store.ListAsync(Bert, true, default)).Select(m => m.Id));
        Assert.Empty(await store.ListAsync("discord:1", true, default));
    }

    [SkippableFact]
    public async Task Forget_and_clear_touch_only_the_users_own_memories()
    {
        var store = Stores.Memories();
        await store.AddAsync(Make("a000000001", Anna, "Prefers green tea", 0), 10, default);
        await store.AddAsync(Make("a000000002", Anna, "Has a dog called Rex", 1), 10, default);
        await store.AddAsync(Make("b000000001", Bert, "Lives in Oslo", 2), 10, default);

        Assert.False(await store.RemoveAsync(Bert, "a000000001", default));   // Anna's id, Bert asking
        Assert.True(await store.RemoveAsync(Anna, "a000000001", default));
        Assert.False(await store.RemoveAsync(Anna, "a000000001", default));
        Assert.Equal(["a000000002"], (await store.ListAsync(Anna, false, default)).Select(m => m.Id));

        Assert.Equal(1, await store.ClearAsync(Bert, default));
        Assert.Equal(0, await store.ClearAsync(Bert, default));
        Assert.Equal(["a000000002"], (await store.ListAsync(Anna, false, default)).Select(m => m.Id));
    }

    [SkippableFact]
    public async Task The_limit_counts_each_users_memories_alone()
    {
        var store = Stores.Memories();
        Assert.True(await store.AddAsync(Make("a000000001", Anna, "one", 0), 2, default));
        Assert.True(await store.AddAsync(Make("a000000002", Anna, "two", 1), 2, default));
        Assert.False(await store.AddAsync(Make("a000000003", Anna, "three", 2), 2, default));
        Assert.True(await store.AddAsync(Make("b000000001", Bert, "one", 3), 2, default));   // Bert's own count
        Assert.Equal(2, (await store.ListAsync(Anna, false, default)).Count);
    }
}
