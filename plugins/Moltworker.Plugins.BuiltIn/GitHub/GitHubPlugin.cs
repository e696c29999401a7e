using System.ComponentModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary>Reads files and folders of GitHub repositories and calls any GitHub REST API path.</summary>
[Plugin("GitHub", Description = "Reads GitHub repositories and calls the GitHub REST API.")]
public sealed partial class GitHubPlugin(GitHubOptions options, TimeProvider time, ILogger<GitHubPlugin> logger, IHttpClientFactory? httpClientFactory = null)
    : IToolMetadataOverrides
{
    public const string HttpClientName = "Moltworker.Plugins.GitHub";
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private readonly UpstreamSettings _settings = new("GitHub", options.Timeout, options.MaxResponseBytes);
    private readonly RateLimitGate _rateLimit = new(time);

    [KernelFunction("github_read_file")]
    [ToolSafety(SideEffects = false, ParallelSafe = true)]
    [Description("Reads a text file from a GitHub repository.")]
    public async Task<string> ReadFileAsync(
        [Description("Repository as \"owner/name\". Empty: the configured default.")] string? repository,
        [Description("File path inside the repository, e.g. \"src/main.c\"")] string path,
        [Description("Branch, tag or commit. Empty: the default branch.")] string? reference = null,
        CancellationToken cancellationToken = default)
    {
        var repo = GitHubPaths.Repository(repository, options.DefaultRepository);
        using var json = await GetJsonAsync(GitHubPaths.Contents(repo, path, reference), $"no file {path} in {repo}", cancellationToken).ConfigureAwait(false);
        return UpstreamJson.Shape(() => GitHubFormat.File(json.RootElement, repo, path, options.MaxChars), _settings);
    }

    [KernelFunction("github_list_files")]
    [ToolSafety(SideEffects = false, ParallelSafe = true)]
    [Description("Lists the files and folders at a path of a GitHub repository.")]
    public async Task<string> ListFilesAsync(
        [Description("Repository as \"owner/name\". Empty: the configured default.")] string? repository,
        [Description("Folder path; empty for the root")] string? path = null,
        [Description("Branch, tag or commit. Empty: the default branch.")] string? reference = null,
        CancellationToken cancellationToken = default)
    {
        var repo = GitHubPaths.Repository(repository, options.DefaultRepository);
        using var json = await GetJsonAsync(GitHubPaths.Contents(repo, path, reference), $"no folder {path} in {repo}", cancellationToken).ConfigureAwait(false);
        return UpstreamJson.Shape(() => GitHubFormat.Listing(json.RootElement, repo, path), _settings);
    }

    [KernelFunction("github_api")]
    [ToolSafety(SideEffects = true, NeedsApproval = true)]
    [Description("Calls any GitHub REST API path (e.g. GET /repos/o/r/issues, POST /repos/o/r/issues with a JSON body). Needs the configured token.")]
    public async Task<string> ApiAsync(
        [Description("HTTP method: GET, POST, PUT, PATCH or DELETE")] string method,
        [Description("API path starting with /, e.g. \"/repos/owner/name/issues?state=open\"")] string path,
        [Description("JSON request body for POST, PUT and PATCH")] string? body = null,
        ToolContext? context = null,
        CancellationToken cancellationToken = default)
    {
        var verb = method.Trim().ToUpperInvariant();
        if (!Methods.Contains(verb)) throw new ToolException($"github_api does not do {method}; use one of {string.Join(", ", Methods)}");
        var apiPath = GitHubPaths.Api(path);
        if (string.IsNullOrEmpty(options.Token)) throw new ToolException("GitHub token not configured (Moltworker:Plugins:GitHub:Token)");
        using var request = NewRequest(new HttpMethod(verb), apiPath);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try { using var _ = JsonDocument.Parse(body); }
            catch (JsonException) { throw new ToolException("the body is not valid JSON"); }
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (verb != "GET" && !string.IsNullOrEmpty(context?.IdempotencyKey))
            request.Headers.TryAddWithoutValidation("Idempotency-Key", context.IdempotencyKey);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        LogApi(verb, apiPath.Split('?')[0], (int)response.Status);
        EnsureSuccess(response, $"GitHub: {apiPath.Split('?')[0]} not found (HTTP 404)");
        return GitHubFormat.ApiResult(response, options.MaxChars);
    }

    public ToolMetadata Override(string tool, ToolMetadata declared) =>
        tool == "github_api" ? declared with { NeedsApproval = options.ApiNeedsApproval } : declared;

    private async Task<JsonDocument> GetJsonAsync(string apiPath, string notFound, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, apiPath);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        LogApi("GET", apiPath.Split('?')[0], (int)response.Status);
        EnsureSuccess(response, notFound);
        return UpstreamJson.Parse(response, _settings);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string apiPath)
    {
        var request = new HttpRequestMessage(method, options.BaseUrl.TrimEnd('/') + apiPath);
        request.Headers.UserAgent.ParseAdd(options.UserAgent);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
        if (!string.IsNullOrEmpty(options.Token)) request.Headers.Authorization = new("Bearer", options.Token);
        return request;
    }

    private async Task<UpstreamResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _rateLimit.ThrowIfBlocked();
        var response = await Upstream.SendAsync(SharedHttpClientFactory.Create(httpClientFactory, HttpClientName), request, _settings, time, cancellationToken)
            .ConfigureAwait(false);
        _rateLimit.Observe(response);
        return response;
    }

    private void EnsureSuccess(UpstreamResponse response, string notFound)
    {
        try
        {
            Upstream.EnsureSuccess(response, _settings, time, notFound);
        }
        catch (ToolException ex) when (!ex.Transient && string.IsNullOrEmpty(options.Token) &&
                                       response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw new ToolException($"{ex.Message} (GitHub token not configured; private repositories need Moltworker:Plugins:GitHub:Token)");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub {Method} {Path} -> {Status}")]
    private partial void LogApi(string method, string path, int status);
}
