namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:DataDirectory</c> and friends.</summary>
public sealed class StorageOptions
{
    /// <summary>Folder of the SQLite database (moltworker.db). Relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}
