using Npgsql;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

/// <summary>The pool settings the host adds to a connection string (<see cref="PoolDefaults"/>), and that an operator's
/// own values win. No server needed.</summary>
public sealed class PoolDefaultsTests
{
    [Fact]
    public void A_connection_string_without_them_gets_prepared_statements_and_no_reset_on_close()
    {
        const string written = "Host=db;Database=moltworker;Username=u;Password=p";
        var builder = new NpgsqlConnectionStringBuilder(written);
        PoolDefaults.Apply(builder, written);
        Assert.Equal(PoolDefaults.MaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Fact]
    public void Values_the_operator_set_are_kept()
    {
        const string written = "Host=db;Database=moltworker;Max Auto Prepare=0;NoResetOnClose=false";
        var builder = new NpgsqlConnectionStringBuilder(written);
        PoolDefaults.Apply(builder, written);
        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.False(builder.NoResetOnClose);
    }
}
