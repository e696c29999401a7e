namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:DataDirectory</c> and friends.</summary>
public sealed class StorageOptions
{
    /// <summary>Folder of the SQLite database (moltworker.db). Relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>How often the host copies the WAL back into the database in the background
    /// (<c>Moltworker:WalCheckpointInterval</c>); zero leaves it to SQLite, inside whichever commit fills the WAL.</summary>
    public TimeSpan WalCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);
}
