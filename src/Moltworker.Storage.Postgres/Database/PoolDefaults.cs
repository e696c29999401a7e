using Npgsql;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>
/// What the host sets on its connection pool unless the connection string says otherwise. A turn runs the same few
/// dozen statements every time, each on a connection taken from the pool and given back at once:
/// <list type="bullet">
/// <item><c>Max Auto Prepare=64</c>: statements a connection has run a few times are prepared on the server, so their
/// parse and plan happen once per connection, not on every call.</item>
/// <item><c>No Reset On Close=true</c>: a connection going back to the pool is not reset (<c>DISCARD ALL</c> before its
/// next use). Nothing here leaves session state on a pooled connection: transactions end before the connection goes
/// back, advisory locks are transaction-scoped, and the two users of session state (the leader's advisory lock and the
/// event log's <c>LISTEN</c>) have connections of their own, outside the pool.</item>
/// </list>
/// Measured with the <c>cluster</c> benchmark (docs/operations.md): turn p50 20–50 % lower.
/// </summary>
public static class PoolDefaults
{
    public const int MaxAutoPrepare = 64;

    /// <summary>Sets what <paramref name="connectionString"/> (the operator's) leaves out on <paramref name="builder"/>.</summary>
    public static void Apply(NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        // The typed builder reports a default for every keyword, set or not: look at what the operator wrote.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        if (!written.Contains("maxautoprepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        if (!written.Contains("noresetonclose")) builder.NoResetOnClose = true;
    }
}
