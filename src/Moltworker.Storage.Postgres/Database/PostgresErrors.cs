using System.Net.Sockets;
using Npgsql;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>Turns Npgsql's failures into messages a person can act on: which server, which database, what to check.
/// The password is never part of a message.</summary>
public static class PostgresErrors
{
    public static StorageException Translate(Exception ex, PostgresTarget target) => ex switch
    {
        PostgresException { SqlState: "28P01" } => new StorageException(
            $"PostgreSQL at {target.Server} refused the password of user '{target.User}'. Check Moltworker:Storage:ConnectionString (Username, Password).", ex),
        PostgresException { SqlState: "28000" } => new StorageException(
            $"PostgreSQL at {target.Server} refused user '{target.User}' for database '{target.Database}' (pg_hba.conf or the role's rights): {ex.Message}", ex),
        PostgresException { SqlState: "3D000" } => new StorageException(
            $"The database '{target.Database}' does not exist on PostgreSQL at {target.Server}. Create it (CREATE DATABASE \"{target.Database}\" OWNER \"{target.User}\") or fix Database in Moltworker:Storage:ConnectionString.", ex),
        PostgresException { SqlState: "53300" } => new StorageException(
            $"PostgreSQL at {target.Server} has no connection left (max_connections): lower Maximum Pool Size in Moltworker:Storage:ConnectionString or raise max_connections.", ex),
        PostgresException { SqlState: "42501" } => new StorageException(
            $"User '{target.User}' may not do this in database '{target.Database}' on {target.Server}: {ex.Message}", ex),
        PostgresException pg => new StorageException($"PostgreSQL error on {target}: {pg.MessageText} ({pg.SqlState})", ex),
        NpgsqlException { InnerException: SocketException or TimeoutException } or NpgsqlException { IsTransient: true } or TimeoutException => new StorageException(
            $"Cannot reach PostgreSQL at {target.Server}: {Innermost(ex).Message} Check that the server runs and that Host and Port in Moltworker:Storage:ConnectionString are right.", ex),
        _ => new StorageException($"PostgreSQL error on {target}: {ex.Message}", ex),
    };

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner) ex = inner;
        return ex;
    }
}

/// <summary>Where the stores connect, for messages: server, database and user, never the password.</summary>
public sealed record PostgresTarget(string Host, int Port, string Database, string User)
{
    public string Server => $"{Host}:{Port}";

    public override string ToString() => $"{Server}/{Database}";

    public static PostgresTarget Of(NpgsqlConnectionStringBuilder builder) =>
        new(builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "(default)", builder.Username ?? Environment.UserName);
}
