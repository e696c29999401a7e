namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:DataDirectory</c> and friends.</summary>
public sealed class StorageOptions
{
    /// <summary>Folder of the SQLite database (moltworker.db). Relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>How often the host copies the WAL back into the database in the background
    /// (<c>Moltworker:WalCheckpointInterval</c>); zero leaves it to SQLite, inside whichever commit fills the WAL.</summary>
    public TimeSpan WalCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>When a background checkpoint leaves the WAL file larger than this many megabytes, a TRUNCATE checkpoint
    /// follows (<c>Moltworker:WalTruncateAboveMb</c>): it waits for the write of the moment, copies the few frames
    /// left and empties the WAL. It waits at most 20 ms for other readers (writers wait while it does) and otherwise
    /// tries again at a later checkpoint, so a long reader such as an online backup does not stall the turns. Under continuous load passive checkpoints never catch up with the writers, and the
    /// WAL, and the shared-memory index every connection maps, would grow without bound.</summary>
    public int WalTruncateAboveMb { get; set; } = 16;

    /// <summary>Below this much free space (in MB) on the data directory's file system, /healthz reports the database as
    /// not writable (<c>Moltworker:MinFreeSpaceMegabytes</c>). SQLite reuses its WAL file, so small writes can still succeed
    /// on a full disk and fail later; the free space shows the problem at once. 0 turns this check off.</summary>
    public int MinFreeSpaceMegabytes { get; set; } = 1;

    /// <summary>SQLite's page cache per open connection to moltworker.db, in KiB (<c>Moltworker:SqliteCacheKb</c>). SQLite's
    /// own default is 2,048 KiB, and the pool keeps several connections open, each filling its cache with the same hot
    /// pages that the operating system's file cache also holds (a page not cached is one read from that file cache):
    /// 512 KiB took 3-4 MB off the host's RSS after 1,000 turns, and 128 KiB another 1-3 MB, with no change in turn
    /// time either time (kernel benchmark, 2026-12-04, docs/operations.md, "Memory"). A host with long histories and
    /// many concurrent readers may want more. 0 leaves SQLite's own default. Not the knowledge base's file, which sets its own.</summary>
    public int SqliteCacheKb { get; set; } = 128;
}
