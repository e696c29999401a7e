using Moltworker.Kernel.Options;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>Where the host's database file is, without opening it (or loading SQLite): the data directory's lock is
/// taken before the host listens, and the database is first used after.</summary>
public static class DatabaseFiles
{
    /// <summary>The host's <c>moltworker.db</c> under <see cref="StorageOptions.DataDirectory"/>.</summary>
    public static string MainPath(StorageOptions options) => Path.Combine(options.DataDirectory, "moltworker.db");

    /// <summary>The folder of a database file (<c>.</c> for a bare file name).</summary>
    public static string FolderOf(string path) => Path.GetDirectoryName(path) is { Length: > 0 } directory ? directory : ".";
}
