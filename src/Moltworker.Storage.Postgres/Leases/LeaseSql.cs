namespace Moltworker.Storage.Postgres.Leases;

/// <summary>The SQL fragments of the lease rules, in one place: expiry is judged by the server's <c>now()</c>.</summary>
internal static class LeaseSql
{
    /// <summary>The new expiry, <c>@lease</c> seconds from the server's now.</summary>
    public const string Expiry = "now() + make_interval(secs => @lease)";

    /// <summary>A task row (alias <c>t</c>) whose lease ran out (or that never had one: rows from before leases).</summary>
    public const string TaskClaimable = "(t.lease_expires_at IS NULL OR t.lease_expires_at <= now())";

    /// <summary>True unless task <c>@task</c> is running under a lease that is not <c>@owner</c>'s unexpired one: the
    /// fence of journal writes and checkpoints (a task without a row, or not running, is not fenced).</summary>
    public const string Fence = """
        NOT EXISTS (SELECT 1 FROM tasks f WHERE f.id = @task AND f.status = 'Running'
                    AND (f.owner IS DISTINCT FROM @owner OR f.lease_expires_at IS NULL OR f.lease_expires_at <= now()))
        """;
}
