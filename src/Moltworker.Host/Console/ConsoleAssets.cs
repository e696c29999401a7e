using System.IO.Compression;
using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Moltworker.Kernel.Ids;

// Not Moltworker.Host.Console: that namespace would hide System.Console from the whole host.
namespace Moltworker.Host.WebConsole;

/// <summary>
/// The console's files, embedded in the host assembly (resources named <c>console/&lt;path&gt;</c>, see the host's
/// project file), read once and compressed once (Brotli and gzip) when the console's page is first asked for
/// (<see cref="PrepareInBackground"/>, or on the first request for a form not made yet), so serving one is a dictionary
/// look-up and a write. Not at start: the compression libraries (the managed ones and the native zlib and Brotli, about
/// 1.5 MB resident) stay out of a host whose console is never opened. Embedding means every build and publish of the host (ReadyToRun, self-contained) carries the
/// console, and nothing is read from disk at run time.
/// </summary>
public sealed class ConsoleAssets
{
    /// <summary>The prefix of the embedded resources' logical names.</summary>
    public const string ResourcePrefix = "console/";

    private readonly Dictionary<string, ConsoleAsset> _assets;

    public ConsoleAssets() : this(typeof(ConsoleAssets).Assembly) { }

    internal ConsoleAssets(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".svg"] = "image/svg+xml";
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Load(assembly, n, types))
            .ToDictionary(a => a.Path, StringComparer.Ordinal);
    }

    /// <summary>Every file, by its path under the console (such as <c>index.html</c>, <c>js/app.js</c>).</summary>
    public IReadOnlyDictionary<string, ConsoleAsset> All => _assets;

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public ConsoleAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static ConsoleAsset Load(Assembly assembly, string name, FileExtensionContentTypeProvider types)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var plain = buffer.ToArray();
        var path = name[ResourcePrefix.Length..];
        var type = types.TryGetContentType(path, out var t) ? t : "application/octet-stream";
        var etag = "\"" + ContentHash.Hex(plain)[..20] + "\"";
        return new ConsoleAsset(path, type, etag, plain,
            p => Smaller(p, s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true)),
            p => Smaller(p, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true)));
    }

    /// <summary>Makes every file's compressed forms now.</summary>
    public void Prepare()
    {
        foreach (var asset in _assets.Values) _ = (asset.Brotli, asset.Gzip);
    }

    private int _preparing;

    /// <summary>Starts <see cref="Prepare"/> on the thread pool, the first time only. A request for a file whose form
    /// is being made waits for it; none is made twice.</summary>
    public void PrepareInBackground()
    {
        if (Interlocked.Exchange(ref _preparing, 1) == 0) _ = Task.Run(Prepare);
    }

    private static byte[]? Smaller(byte[] plain, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output)) compressing.Write(plain);
        return output.Length < plain.Length ? output.ToArray() : null;
    }
}
