using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Console.Tests.Support;
using Moltworker.Host.Composition;
using Moltworker.Host.WebConsole;

namespace Moltworker.Console.Tests;

/// <summary>The console's files as the host serves them: from the host assembly, with content types, a strong ETag
/// (304 when unchanged), Brotli or gzip when accepted, a strict Content-Security-Policy, and a first load under the
/// issue's 300 KB.</summary>
public sealed partial class ConsoleAssetTests
{
    [Fact]
    public async Task The_page_and_every_module_it_imports_are_served_compressed_under_300_KB_with_no_outside_reference()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var index = await GetAsync(host, "/", "br");
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await TextAsync(index);
        long transferred = (await index.Content.ReadAsByteArrayAsync()).Length;

        var pending = new Queue<string>(Links().Matches(html).Select(m => m.Groups[1].Value));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path)) continue;
            using var response = await GetAsync(host, path, "br");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
            transferred += (await response.Content.ReadAsByteArrayAsync()).Length;
            var text = await TextAsync(response);
            if (path.EndsWith(".js", StringComparison.Ordinal))
            {
                Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
                foreach (Match m in Imports().Matches(text)) pending.Enqueue(new Uri(new Uri("http://x" + path), m.Groups[1].Value).AbsolutePath);
            }
            else Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotMatch("https?://", text);   // nothing from a CDN, works offline
        }
        Assert.Contains("/console/js/main.js", seen);
        Assert.Contains("/console/js/waterfall.js", seen);
        Assert.Contains("/console/console.css", seen);
        Assert.True(transferred < 300 * 1024, $"the first load transfers {transferred} bytes");
    }

    [Fact]
    public async Task An_unchanged_file_is_a_304_and_a_client_without_compression_gets_the_plain_bytes()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var plain = await GetAsync(host, "/console/js/main.js", null);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var etag = plain.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());

        using var gzip = await GetAsync(host, "/console/js/main.js", "gzip");
        Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await TextAsync(gzip));
        Assert.Equal(etag, gzip.Headers.ETag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/js/main.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var again = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());

        using var missing = await host.Http.GetAsync("/console/js/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Nothing_is_compressed_until_the_page_is_first_asked_for()
    {
        await using var host = await ConsoleHost.StartAsync();
        await host.Services.GetRequiredService<StartupHold>().Opened.WaitAsync(TimeSpan.FromSeconds(30)); // the start-up work ran
        await host.ChatAsync("c1", "hello");                                                               // and a turn
        var assets = host.Services.GetRequiredService<ConsoleAssets>();
        Assert.DoesNotContain(assets.All.Values, a => a.Compressed);

        using var page = await GetAsync(host, "/", "br");
        Assert.Equal("br", page.Content.Headers.ContentEncoding.Single());
        Assert.True(assets.Find("index.html")!.Compressed);
    }

    private static async Task<HttpResponseMessage> GetAsync(ConsoleHost host, string path, string? encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding is not null) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return await host.Http.SendAsync(request);
    }

    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Stream body = new MemoryStream(bytes);
        body = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(body);
        return await reader.ReadToEndAsync();
    }

    [GeneratedRegex("(?:href|src)=\"(/console/[^\"]+)\"")]
    private static partial Regex Links();

    [GeneratedRegex("""from '(\./[^']+)'""")]
    private static partial Regex Imports();
}
