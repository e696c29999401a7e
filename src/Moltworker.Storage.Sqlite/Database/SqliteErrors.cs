using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>Turns SQLite's result codes into messages a person can act on.</summary>
public static class SqliteErrors
{
    public static StorageException Translate(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        5 or 6 => new StorageException($"The database {path} is locked by another process or connection (waited for busy_timeout). Stop the other Moltworker instance or raise Moltworker:Storage busy timeout.", ex),
        8 => new StorageException($"The database {path} is read-only: check the file's permissions and Moltworker:DataDirectory.", ex),
        10 => new StorageException($"Disk I/O error on {path}: {ex.Message}", ex),
        11 or 26 => new StorageException($"The database {path} is corrupt or not a SQLite database. Move it aside (the data directory keeps WAL files next to it) and restart to create a fresh one.", ex),
        13 => new StorageException($"The disk holding {path} is full: nothing was written by this operation and everything committed before is intact. Free space and retry.", ex),
        14 => new StorageException($"Cannot open the database {path}: check that Moltworker:DataDirectory exists and is writable.", ex),
        _ => new StorageException($"Database error on {path}: {ex.Message}", ex),
    };
}
