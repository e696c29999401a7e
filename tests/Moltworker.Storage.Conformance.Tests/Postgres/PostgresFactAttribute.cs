using Moltworker.Testing.Postgres;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>A fact that needs <see cref="TestPostgres"/>: skipped with the way to start a server when there is none,
/// except under CI, where it runs and fails (the reason is fixed when the attribute is created).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestPostgres.SkipReason is { } reason) Skip = reason;
    }
}
