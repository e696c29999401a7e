namespace Moltworker.Kernel.State;

/// <summary>One API key of the HTTP API, as stored: never the key itself, only its hash (<see cref="Hash"/>, lowercase hex
/// SHA-256 of the key's text).</summary>
public sealed record ApiKeyRecord(string Name, string Hash, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>The HTTP API's keys (<c>moltworker keys</c>). Names are unique among keys not revoked.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores <paramref name="key"/>; false when a key of that name exists and is not revoked.</summary>
    Task<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The key with this hash, revoked or not; null when there is none.</summary>
    Task<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Revokes the key of that name; false when there is no such key not yet revoked.</summary>
    Task<bool> RevokeAsync(string name, CancellationToken cancellationToken);

    /// <summary>Whether any key is not revoked.</summary>
    Task<bool> AnyActiveAsync(CancellationToken cancellationToken);
}
