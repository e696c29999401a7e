using System.Text.Json;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.GitHub;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Plugins.Tests.Upstreams;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.GitHub;

public sealed class GitHubPluginTests : UpstreamTestBase
{

    public GitHubPluginTests(UpstreamFixture fixture) : base(fixture) { }

    private GitHubPlugin Plugin(string? token = null, GitHubOptions? options = null)
    {
        options ??= new GitHubOptions();
        options.Token = token;
        return PluginCalls.GitHub(Server, Factory, TimeProvider.System, options);
    }

    [Fact]
    public async Task Reads_a_file_decoding_base64()
    {
        var result = await Plugin().ReadFileAsync("octo/hello", "src/main.c");
        Assert.Equal("octo/hello/src/main.c (29 bytes)\n\nint main(void) { return 0; }\n", result);
        var request = Server.Requests.Last();
        Assert.Equal("/repos/octo/hello/contents/src/main.c", request.Path);
        Assert.Equal("application/vnd.github+json", request.Headers["Accept"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Passes_the_ref_and_accepts_github_urls_and_the_default_repository()
    {
        await Plugin().ReadFileAsync("https://github.com/octo/hello.git", "README.md", "v1.0");
        Assert.Equal("?ref=v1.0", Server.Requests.Last().Query);
        var listing = await Plugin(options: new GitHubOptions { DefaultRepository = "octo/hello" }).ListFilesAsync(null);
        Assert.StartsWith("octo/hello:/ (2 entries)", listing);
    }

    [Fact]
    public async Task Lists_folders_first_then_files_with_sizes()
    {
        var result = await Plugin().ListFilesAsync("octo/hello", "src");
        Assert.Equal("octo/hello:src/ (2 entries)\nutil/\nmain.c (29 bytes)", result);
    }

    [Fact]
    public async Task Folder_and_file_mixups_say_which_tool_to_use()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ReadFileAsync("octo/hello", "src"));
        Assert.Contains("use github_list_files", ex.Message);
        ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ListFilesAsync("octo/hello", "README.md"));
        Assert.Contains("use github_read_file", ex.Message);
    }

    [Fact]
    public async Task Private_repository_without_token_names_the_missing_token()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ReadFileAsync("octo/secret", "notes.txt"));
        Assert.Contains("GitHub token not configured", ex.Message);
        var ok = await Plugin("ghp_test").ReadFileAsync("octo/secret", "notes.txt");
        Assert.Contains("private notes", ok);
        Assert.Equal("Bearer ghp_test", Server.Requests.Last().Headers["Authorization"]);
    }

    [Theory]
    [InlineData("octo")]
    [InlineData("../../etc")]
    [InlineData("octo/he llo")]
    public async Task Refuses_bad_repository_names(string repository)
    {
        var before = Server.Requests.Count;
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ReadFileAsync(repository, "README.md"));
        Assert.Contains("not a repository name", ex.Message);
        Assert.Equal(before, Server.Requests.Count); // refused before any request
    }

    [Fact]
    public async Task Refuses_dot_dot_in_paths()
    {
        var before = Server.Requests.Count;
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ReadFileAsync("octo/hello", "../../user"));
        Assert.Contains("may not contain", ex.Message);
        Assert.Equal(before, Server.Requests.Count);
    }

    [Fact]
    public async Task Exhausted_rate_limit_is_transient_with_the_reset_time()
    {
        Server.SetFault("/repos/octo/hello/contents", UpstreamFault.RateLimitExhausted(120));
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ReadFileAsync("octo/hello", "README.md"));
        Assert.True(ex.Transient);
        Assert.Contains("GitHub rate limit reached (HTTP 403)", ex.Message);
        Assert.NotNull(ex.RetryAfter);
        Assert.InRange(ex.RetryAfter!.Value.TotalSeconds, 100, 121);
    }

    [Fact]
    public async Task Api_without_a_token_says_so()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().ApiAsync("GET", "/user"));
        Assert.Equal("GitHub token not configured (Moltworker:Plugins:GitHub:Token)", ex.Message);
    }

    [Fact]
    public async Task Api_get_returns_status_and_compact_json()
    {
        var result = await Plugin("ghp_test").ApiAsync("get", "/user");
        Assert.Equal("HTTP 200 OK\n{\"login\":\"moltbot\",\"id\":7}", result);
    }

    [Fact]
    public async Task Api_write_sends_body_and_idempotency_key()
    {
        var context = new ToolContext { IdempotencyKey = "task1:3:call_9" };
        var result = await Plugin("ghp_test").ApiAsync("POST", "/repos/octo/hello/issues", "{\"title\":\"Bug\"}", context);
        Assert.StartsWith("HTTP 201 Created\n", result);
        var request = Server.Requests.Last();
        Assert.Equal("POST", request.Method);
        Assert.Equal("task1:3:call_9", request.Headers["Idempotency-Key"]);
        Assert.Equal("Bug", JsonDocument.Parse(request.Body).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Api_get_sends_no_idempotency_key()
    {
        await Plugin("ghp_test").ApiAsync("GET", "/user", context: new ToolContext { IdempotencyKey = "k" });
        Assert.False(Server.Requests.Last().Headers.ContainsKey("Idempotency-Key"));
    }

    [Theory]
    [InlineData("https://evil.example.com/steal")]
    [InlineData("//evil.example.com/steal")]
    [InlineData("user")]
    [InlineData("/repos/../../admin")]
    public async Task Api_refuses_paths_that_could_send_the_token_elsewhere(string path)
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin("ghp_test").ApiAsync("GET", path));
        Assert.Contains("API path", ex.Message);
    }

    [Fact]
    public async Task Api_refuses_unknown_methods_and_bad_json()
    {
        var trace = await Assert.ThrowsAsync<ToolException>(() => Plugin("ghp_test").ApiAsync("TRACE", "/user"));
        Assert.Contains("does not do TRACE", trace.Message);
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin("ghp_test").ApiAsync("POST", "/repos/octo/hello/issues", "{not json"));
        Assert.Contains("not valid JSON", ex.Message);
    }

    [Fact]
    public async Task After_an_exhausted_rate_limit_calls_wait_for_the_reset_without_asking_github()
    {
        var time = new Moltworker.Testing.Time.FakeTimeProvider(DateTimeOffset.UtcNow);
        var plugin = PluginCalls.GitHub(Server, Factory, time, new GitHubOptions());
        Server.SetFault("/repos/octo/hello/contents", UpstreamFault.RateLimitExhausted(120));
        await Assert.ThrowsAsync<ToolException>(() => plugin.ReadFileAsync("octo/hello", "README.md"));
        Server.ClearFaults();
        var before = Server.Requests.Count;
        var blocked = await Assert.ThrowsAsync<ToolException>(() => plugin.ListFilesAsync("octo/hello"));
        Assert.True(blocked.Transient);
        Assert.InRange(blocked.RetryAfter!.Value.TotalSeconds, 100, 121);
        Assert.Equal(before, Server.Requests.Count);
        time.Advance(TimeSpan.FromSeconds(125));
        Assert.Contains("README.md", await plugin.ListFilesAsync("octo/hello"));
    }

    [Fact]
    public void Approval_for_github_api_follows_the_option()
    {
        var declared = new ToolMetadata { SideEffects = true, NeedsApproval = true };
        Assert.False(Plugin(options: new GitHubOptions { ApiNeedsApproval = false }).Override("github_api", declared).NeedsApproval);
        Assert.True(Plugin(options: new GitHubOptions { ApiNeedsApproval = true }).Override("github_api", declared).NeedsApproval);
        Assert.Same(declared, Plugin(options: new GitHubOptions { ApiNeedsApproval = false }).Override("github_read_file", declared));
    }
}
