using Moltworker.Kernel.State;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>The HTTP API's keys: hashes are unique, names are unique among keys not revoked.</summary>
public abstract class ApiKeySuite : StoreSuite
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Keys_are_created_found_listed_and_revoked_and_a_name_is_free_again_after_revocation()
    {
        var time = new Moltworker.Testing.Time.FakeTimeProvider();
        var keys = Stores.ApiKeys(time);
        Assert.False(await keys.AnyActiveAsync(default));
        Assert.True(await keys.CreateAsync(new ApiKeyRecord("ci", "h1", ["chat", "admin"], Created), default));
        Assert.False(await keys.CreateAsync(new ApiKeyRecord("ci", "h2", ["chat"], Created), default));       // name taken
        Assert.False(await keys.CreateAsync(new ApiKeyRecord("other", "h1", ["chat"], Created), default));    // hash taken
        Assert.True(await keys.AnyActiveAsync(default));

        var found = (await keys.FindAsync("h1", default))!;
        Assert.Equal(("ci", "chat,admin", Created, false), (found.Name, string.Join(",", found.Scopes), found.CreatedAt, found.IsRevoked));
        Assert.Null(await keys.FindAsync("nope", default));

        Assert.True(await keys.RevokeAsync("ci", default));
        Assert.False(await keys.RevokeAsync("ci", default));
        Assert.Equal(time.GetUtcNow(), (await keys.FindAsync("h1", default))!.RevokedAt);
        Assert.False(await keys.AnyActiveAsync(default));
        Assert.True(await keys.CreateAsync(new ApiKeyRecord("ci", "h3", ["chat"], Created), default));
        Assert.Equal(["h1", "h3"], (await keys.ListAsync(default)).Select(k => k.Hash));
    }
}
