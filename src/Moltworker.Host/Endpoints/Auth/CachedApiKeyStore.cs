using System.Collections.Concurrent;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary>
/// The API key store as every request's authentication reads it: "is any key active?" (loopback without a key) and
/// "which key has this hash?" (a bearer key) are answered from memory for <c>Moltworker:Api:KeyCacheDuration</c>
/// (1 s) after the store was last asked, instead of with a database round trip per request. A key created or revoked
/// through this host's store takes effect at once (its answers are forgotten); one created or revoked by the CLI or on
/// another host sharing the database, within that duration. Unknown hashes are remembered too (a flood of wrong keys
/// does not become a flood of queries), at most <see cref="MaxKeys"/> hashes at a time.
/// </summary>
public sealed class CachedApiKeyStore(IApiKeyStore inner, TimeProvider time, TimeSpan duration) : IApiKeyStore
{
    public const int MaxKeys = 1024;

    private sealed record Cached<T>(T Value, long Until);

    private readonly long _ticks = (long)(Math.Max(0, duration.TotalSeconds) * time.TimestampFrequency);
    private readonly ConcurrentDictionary<string, Cached<ApiKeyRecord?>> _byHash = new(StringComparer.Ordinal);
    private Cached<bool>? _anyActive;
    /// <summary>Moved by every write: an answer read while a write was under way is not kept.</summary>
    private long _generation;

    public async Task<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        try { return await inner.CreateAsync(key, cancellationToken); }
        finally { Forget(); }
    }

    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        try { return await inner.RevokeAsync(name, cancellationToken); }
        finally { Forget(); }
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> AnyActiveAsync(CancellationToken cancellationToken)
    {
        if (_ticks == 0) return await inner.AnyActiveAsync(cancellationToken);
        var now = time.GetTimestamp();
        if (Volatile.Read(ref _anyActive) is { } cached && now < cached.Until) return cached.Value;
        var generation = Interlocked.Read(ref _generation);
        var value = await inner.AnyActiveAsync(cancellationToken);
        if (Interlocked.Read(ref _generation) == generation) Volatile.Write(ref _anyActive, new Cached<bool>(value, now + _ticks));
        return value;
    }

    public async Task<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        if (_ticks == 0) return await inner.FindAsync(hash, cancellationToken);
        var now = time.GetTimestamp();
        if (_byHash.TryGetValue(hash, out var cached) && now < cached.Until) return cached.Value;
        var generation = Interlocked.Read(ref _generation);
        var key = await inner.FindAsync(hash, cancellationToken);
        if (Interlocked.Read(ref _generation) == generation)
        {
            if (_byHash.Count >= MaxKeys) _byHash.Clear();
            _byHash[hash] = new Cached<ApiKeyRecord?>(key, now + _ticks);
        }
        return key;
    }

    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _anyActive, null);
        _byHash.Clear();
    }
}
