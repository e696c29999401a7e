// Not Moltworker.Host.Console: that namespace would hide System.Console from the whole host.
namespace Moltworker.Host.WebConsole;

/// <summary>One file of the console as it is served: its bytes, the same bytes compressed (null when compressing does
/// not make it smaller), its content type and a strong ETag (a hash of the bytes). The compressed forms are made the
/// first time they are asked for (<see cref="ConsoleAssets.PrepareInBackground"/> asks for all of them when the page is
/// first requested): Brotli at its smallest size took 70–90 ms of the host's start when it was done there.</summary>
public sealed class ConsoleAsset(string path, string contentType, string etag, byte[] plain, Func<byte[], byte[]?> brotli, Func<byte[], byte[]?> gzip)
{
    private readonly Lazy<byte[]?> _brotli = new(() => brotli(plain));
    private readonly Lazy<byte[]?> _gzip = new(() => gzip(plain));

    public string Path => path;
    public string ContentType => contentType;
    public string ETag => etag;
    public byte[] Plain => plain;
    public byte[]? Brotli => _brotli.Value;
    public byte[]? Gzip => _gzip.Value;

    /// <summary>Whether a compressed form has been made.</summary>
    public bool Compressed => _brotli.IsValueCreated || _gzip.IsValueCreated;
}
