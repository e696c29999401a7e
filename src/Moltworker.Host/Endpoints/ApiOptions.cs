namespace Moltworker.Host.Endpoints;

/// <summary><c>Moltworker:Api</c>: limits of the HTTP API (<c>/api/*</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Moltworker:Api";

    /// <summary>The largest chat message, in bytes of UTF-8 text (default 65536, 64 KB). A longer one gets 413 and is neither
    /// stored nor sent to the model.</summary>
    public int MaxChatBytes { get; set; } = 64 * 1024;

    /// <summary>The largest request body of <c>POST /api/knowledge/ingest</c>, in bytes (default 10485760, 10 MB). A larger
    /// one gets 413 and nothing is ingested.</summary>
    public long MaxIngestBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>With several hosts on one database: how old an <c>/api/chat</c> message may be for a host that holds its
    /// chat to run it although no request waits for it on that host (the request waits on the host that accepted it,
    /// which reads the answer from the shared store). Older ones are left, as on one host, to the client to send again
    /// (default 15 minutes).</summary>
    public TimeSpan CrossHostAnswerWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a request's key check is answered from memory (<see cref="Auth.CachedApiKeyStore"/>): a key
    /// created or revoked with the CLI or on another host sharing the database takes effect within it (default 1 s;
    /// 0 asks the database on every request).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rate limits of <c>/api/*</c>.</summary>
    public ApiRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The largest request body /api/chat reads: room for <see cref="MaxChatBytes"/> of text even if every character
    /// were sent as a six-byte JSON escape, plus the other fields.</summary>
    public long MaxChatBodyBytes => (long)MaxChatBytes * 6 + 4096;
}

/// <summary><c>Moltworker:Api:RateLimit</c>: fixed windows, counted per client (its API key, or its address when it sends
/// none) and per chat. A request over either limit gets 429 with <c>Retry-After</c>.</summary>
public sealed class ApiRateLimitOptions
{
    /// <summary>Apply the limits (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests one client may make to <c>/api/*</c> per <see cref="ClientWindow"/> (default 600).</summary>
    public int PermitsPerClient { get; set; } = 600;

    /// <summary>The window of <see cref="PermitsPerClient"/> (default one minute).</summary>
    public TimeSpan ClientWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages one chat may receive over <c>/api/chat</c> per <see cref="ChatWindow"/> (default 120).</summary>
    public int PermitsPerChat { get; set; } = 120;

    /// <summary>The window of <see cref="PermitsPerChat"/> (default one minute).</summary>
    public TimeSpan ChatWindow { get; set; } = TimeSpan.FromMinutes(1);
}
