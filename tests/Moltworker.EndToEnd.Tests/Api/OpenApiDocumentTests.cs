using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Cli;
using Moltworker.Host.Endpoints.OpenApi;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: <c>/openapi.json</c> is a valid OpenAPI 3.1 document that lists every <c>/api</c> route the host
/// maps (found in its endpoint data source, so a new route without a description fails here), with the Bearer scheme,
/// each operation's scope and the streaming flows; <c>/docs</c> serves Scalar from the host itself. The served document is
/// the one <c>moltworker openapi</c> generates from the routes.</summary>
public sealed partial class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_is_valid_openapi_3_1_and_lists_every_api_route_with_its_scope()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var json = await host.Http.GetStringAsync("/openapi.json");

        var root = JsonSerializer.Deserialize<JsonElement>(json);
        Assert.StartsWith("3.1.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var (document, diagnostic) = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.True(diagnostic!.Errors.Count == 0, string.Join("\n", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        var invalid = document!.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(invalid.Count == 0, string.Join("\n", invalid.Select(e => $"{e.Pointer}: {e.Message}")));

        var documented = document!.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method.ToUpperInvariant()} {p.Key}")).ToHashSet();
        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && raw.TrimStart('/').StartsWith("api", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        Assert.True(mapped.Count >= 20, string.Join(", ", mapped));
        Assert.Empty(mapped.Except(documented).Order());

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var paths = root.GetProperty("paths");
        Assert.Equal(["admin"], Scopes(paths.GetProperty("/api/knowledge/ingest").GetProperty("post")));
        Assert.Equal(["chat"], Scopes(paths.GetProperty("/api/chat").GetProperty("post")));
        Assert.Equal(["read"], Scopes(paths.GetProperty("/api/plugins").GetProperty("get")));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));

        var sse = paths.GetProperty("/api/events").GetProperty("get");
        Assert.Equal("sse", sse.GetProperty("x-moltworker-stream").GetProperty("protocol").GetString());
        Assert.Contains("Last-Event-ID", sse.GetProperty("description").GetString(), StringComparison.Ordinal);
        var ws = paths.GetProperty("/api/ws").GetProperty("get");
        Assert.Equal("websocket", ws.GetProperty("x-moltworker-stream").GetProperty("protocol").GetString());
        Assert.Contains("Upgrade: websocket", ws.GetProperty("description").GetString(), StringComparison.Ordinal);

        // Request and response shapes of the typed routes.
        var feedback = paths.GetProperty("/api/feedback").GetProperty("post");
        Assert.True(feedback.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(feedback.GetProperty("responses").GetProperty("201").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(feedback.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task The_served_document_is_the_one_the_routes_generate()
    {
        // The host serves the document generated when it was built (ApiDocument.ShippedFile), not one made at run time.
        var generated = await OpenApiVerb.GenerateAsync([], CancellationToken.None);
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        using var response = await host.Http.GetAsync("/openapi.json");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = await response.Content.ReadAsStringAsync();
        Assert.True(generated == served,
            $"{ApiDocument.ShippedFile} is not what the routes generate: run `dotnet run --project src/Moltworker.Host -- openapi --output {ApiDocument.ShippedFile}`.");
    }

    [Fact]
    public async Task The_docs_page_is_served_by_the_host_with_no_cdn_fonts_or_telemetry()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var html = await host.Http.GetStringAsync("/docs/");
        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        Assert.DoesNotContain(assets, a => a.Contains("//", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.Contains("openapi.json", html, StringComparison.Ordinal);
        foreach (var asset in assets)
        {
            using var response = await host.Http.GetAsync("/docs/" + asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }

    private static string Normalize(string raw)
    {
        var path = "/" + raw.Trim('/');
        return RouteConstraint().Replace(path, "{${name}}");
    }

    private static List<string> Scopes(JsonElement operation) =>
        operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(s => s.GetString()!))).ToList();

    [GeneratedRegex(@"\{(?<name>[^}:?=]+)[^}]*\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)""")]
    private static partial Regex AssetReference();
}
