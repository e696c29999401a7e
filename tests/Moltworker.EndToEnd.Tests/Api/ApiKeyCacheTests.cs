using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;
using Moltworker.Testing.Time;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>The key checks of every request answered from memory for a short time (<see cref="CachedApiKeyStore"/>):
/// what another process changes is seen within the duration, what this host changes at once.</summary>
public sealed class ApiKeyCacheTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Checks_within_the_duration_are_answered_from_memory_and_a_change_elsewhere_is_seen_after_it()
    {
        var time = new FakeTimeProvider();
        var database = new CountingKeys();
        var cache = new CachedApiKeyStore(database, time, Duration);
        database.Keys["h1"] = Key("ci", "h1");

        Assert.True(await cache.AnyActiveAsync(default));
        Assert.Equal("ci", (await cache.FindAsync("h1", default))!.Name);
        Assert.Null(await cache.FindAsync("unknown", default));
        time.Advance(Duration - TimeSpan.FromMilliseconds(1));
        Assert.True(await cache.AnyActiveAsync(default));
        Assert.False((await cache.FindAsync("h1", default))!.IsRevoked);
        Assert.Null(await cache.FindAsync("unknown", default));
        Assert.Equal((1, 2), (database.AnyActiveCalls, database.FindCalls));

        // Revoked by another host (or the CLI): not seen until the duration has passed since the store was asked.
        database.Keys["h1"] = Key("ci", "h1") with { RevokedAt = time.GetUtcNow() };
        Assert.False((await cache.FindAsync("h1", default))!.IsRevoked);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await cache.FindAsync("h1", default))!.IsRevoked);
        Assert.False(await cache.AnyActiveAsync(default));
        Assert.Equal((2, 3), (database.AnyActiveCalls, database.FindCalls));
    }

    [Fact]
    public async Task A_key_created_or_revoked_through_this_host_takes_effect_at_once()
    {
        var database = new CountingKeys();
        var cache = new CachedApiKeyStore(database, new FakeTimeProvider(), Duration);
        Assert.False(await cache.AnyActiveAsync(default));
        Assert.Null(await cache.FindAsync("h1", default));

        Assert.True(await cache.CreateAsync(Key("ci", "h1"), default));
        Assert.True(await cache.AnyActiveAsync(default));
        Assert.NotNull(await cache.FindAsync("h1", default));

        Assert.True(await cache.RevokeAsync("ci", default));
        Assert.False(await cache.AnyActiveAsync(default));
        Assert.True((await cache.FindAsync("h1", default))!.IsRevoked);
    }

    [Fact]
    public async Task An_answer_read_while_a_key_was_being_created_is_not_kept()
    {
        var database = new CountingKeys();
        var cache = new CachedApiKeyStore(database, new FakeTimeProvider(), Duration);
        var gate = new TaskCompletionSource();
        database.BeforeAnswer = gate.Task;
        var check = cache.AnyActiveAsync(default); // reads "no key" and waits before answering
        database.BeforeAnswer = null;

        Assert.True(await cache.CreateAsync(Key("ci", "h1"), default));
        gate.SetResult();

        Assert.False(await check); // answered as of when it was asked...
        Assert.True(await cache.AnyActiveAsync(default)); // ...but not remembered
    }

    [Fact]
    public async Task With_a_zero_duration_every_check_asks_the_store()
    {
        var database = new CountingKeys();
        var cache = new CachedApiKeyStore(database, new FakeTimeProvider(), TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            await cache.AnyActiveAsync(default);
            await cache.FindAsync("h1", default);
        }
        Assert.Equal((3, 3), (database.AnyActiveCalls, database.FindCalls));
    }

    [Fact]
    public async Task At_most_MaxKeys_hashes_are_remembered()
    {
        var database = new CountingKeys();
        var cache = new CachedApiKeyStore(database, new FakeTimeProvider(), Duration);
        for (var i = 0; i <= CachedApiKeyStore.MaxKeys; i++) await cache.FindAsync($"wrong-{i}", default);
        Assert.Equal(CachedApiKeyStore.MaxKeys + 1, database.FindCalls);

        await cache.FindAsync($"wrong-{CachedApiKeyStore.MaxKeys}", default); // the newest is kept
        Assert.Equal(CachedApiKeyStore.MaxKeys + 1, database.FindCalls);
        await cache.FindAsync("wrong-0", default); // the earlier ones went when the limit was reached (all are forgotten then)
        Assert.Equal(CachedApiKeyStore.MaxKeys + 2, database.FindCalls);
    }

    private static ApiKeyRecord Key(string name, string hash) => new(name, hash, ["chat"], DateTimeOffset.UnixEpoch);

    /// <summary>Keys by hash in memory, counting the checks that reach it.</summary>
    private sealed class CountingKeys : IApiKeyStore
    {
        public Dictionary<string, ApiKeyRecord> Keys { get; } = [];
        public int AnyActiveCalls, FindCalls;
        public Task? BeforeAnswer;

        public Task<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
        {
            if (Keys.Values.Any(k => k.Name == key.Name && !k.IsRevoked)) return Task.FromResult(false);
            Keys[key.Hash] = key;
            return Task.FromResult(true);
        }

        public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ApiKeyRecord>>(Keys.Values.ToList());

        public Task<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken)
        {
            FindCalls++;
            return Task.FromResult(Keys.GetValueOrDefault(hash));
        }

        public Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
        {
            var key = Keys.Values.FirstOrDefault(k => k.Name == name && !k.IsRevoked);
            if (key is null) return Task.FromResult(false);
            Keys[key.Hash] = key with { RevokedAt = DateTimeOffset.UnixEpoch };
            return Task.FromResult(true);
        }

        public async Task<bool> AnyActiveAsync(CancellationToken cancellationToken)
        {
            AnyActiveCalls++;
            var answer = Keys.Values.Any(k => !k.IsRevoked);
            if (BeforeAnswer is { } wait) await wait;
            return answer;
        }
    }
}
