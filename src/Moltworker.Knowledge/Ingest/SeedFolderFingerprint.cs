using System.Globalization;
using System.Text;
using Moltworker.Kernel.Ids;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Ingest;

/// <summary>
/// A hash (<see cref="ContentHash"/>) of what the seed ingest depends on: every file under the folder (relative path, size, last write time) and
/// where and how it is indexed (store, SQLite path, embedding model). Equal to the one recorded after the last complete
/// seed ingest means nothing changed: the folder is not read again at start.
/// </summary>
public static class SeedFolderFingerprint
{
    public const string Key = "knowledge.seed.fingerprint";

    public static string Compute(string folder, KnowledgeOptions options, KnowledgeEmbedder embedder)
    {
        var text = new StringBuilder();
        text.Append(Path.GetFullPath(folder)).Append('\n').Append(options.Store).Append('\n').Append(options.SqlitePath).Append('\n')
            .Append(options.Qdrant.Url).Append('\n').Append(embedder.Fingerprint).Append('\n');
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
                     .OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            text.Append(Path.GetRelativePath(folder, file.FullName)).Append('\t')
                .Append(file.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return ContentHash.Hex(text.ToString());
    }
}
