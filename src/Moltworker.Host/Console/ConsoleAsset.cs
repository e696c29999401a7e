// Not Moltworker.Host.Console: that namespace would hide System.Console from the whole host.
namespace Moltworker.Host.WebConsole;

/// <summary>One file of the console as it is served: its bytes, the same bytes compressed (null when compressing does
/// not make it smaller), its content type and a strong ETag (a hash of the bytes).</summary>
public sealed record ConsoleAsset(string Path, string ContentType, string ETag, byte[] Plain, byte[]? Brotli, byte[]? Gzip);
