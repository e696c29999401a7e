using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Api;

/// <summary>Issue 13: API keys. With a key defined, no key, a wrong key and a revoked key get 401 and the wrong scope 403,
/// each with a problem body; loopback needs no key only while none exists; /healthz stays open.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task With_a_key_defined_requests_need_a_valid_key_with_the_chat_scope()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var keys = host.Services.GetRequiredService<IApiKeyStore>();
        Assert.IsType<CachedApiKeyStore>(keys); // the checks below go through the cache, and see this host's changes at once
        var chatKey = await CreateAsync(keys, "ci", ApiScopes.Chat);
        var readKey = await CreateAsync(keys, "reader", ApiScopes.Read);
        var adminKey = await CreateAsync(keys, "ops", ApiScopes.Admin);

        using (var response = await SendAsync(host, key: null))
        {
            var problem = await ApiResponses.AssertProblemAsync(response, 401);
            Assert.Contains("Bearer", problem.Detail(), StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var response = await SendAsync(host, "mwk_not-a-key"))
            Assert.Contains("not known", (await ApiResponses.AssertProblemAsync(response, 401)).Detail(), StringComparison.Ordinal);
        using (var response = await SendAsync(host, readKey))
            Assert.Contains("'chat' scope", (await ApiResponses.AssertProblemAsync(response, 403)).Detail(), StringComparison.Ordinal);
        using (var response = await SendAsync(host, chatKey)) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using (var response = await SendAsync(host, adminKey)) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        Assert.True(await keys.RevokeAsync("ci", CancellationToken.None));
        using (var response = await SendAsync(host, chatKey))
            Assert.Contains("revoked", (await ApiResponses.AssertProblemAsync(response, 401)).Detail(), StringComparison.Ordinal);

        Assert.Equal(200, (await host.HealthAsync()).Status);

        // A name is unique among keys not revoked: taken while "ops" lives, free again for "ci" once it was revoked.
        Assert.False(await keys.CreateAsync(new ApiKeyRecord("ops", ApiKeyText.Hash(ApiKeyText.Generate()), [ApiScopes.Chat], DateTimeOffset.UtcNow), CancellationToken.None));
        var newChatKey = await CreateAsync(keys, "ci", ApiScopes.Chat);
        using (var response = await SendAsync(host, newChatKey)) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Keys_made_revoked_and_listed_with_the_cli_are_what_the_host_checks()
    {
        var folder = new TempFolder();
        var data = $"--Moltworker:DataDirectory={folder.Sub("data")}";
        var created = await HostProcess.RunAsync(["keys", "create", "--name", "ci", "--scopes", "chat,read,admin", data], new Dictionary<string, string>(), folder.Path);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var key = created.Stdout.Trim();
        Assert.StartsWith(ApiKeyText.Prefix, key, StringComparison.Ordinal);

        var listed = await HostProcess.RunAsync(["keys", "list", data], new Dictionary<string, string>(), folder.Path);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("ci", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("chat,read,admin", listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Stdout + listed.Stderr, StringComparison.Ordinal);

        var unknownScope = await HostProcess.RunAsync(["keys", "create", "--name", "ci", "--scopes", "chat,nonsense", data], new Dictionary<string, string>(), folder.Path);
        Assert.NotEqual(0, unknownScope.ExitCode);
        Assert.Contains("--scopes", unknownScope.Stderr, StringComparison.Ordinal);

        // The host owns the folder from here (it deletes it when disposed). The CLI is another process: the host learns of
        // its changes when its remembered checks expire (Moltworker:Api:KeyCacheDuration, ApiKeyCacheTests); with 0, at once.
        await using (var host = await RunningHost.StartAsync([.. RunningHost.NoModel, "--Moltworker:Api:KeyCacheDuration=00:00:00"], folder: folder))
        {
            using (var response = await SendAsync(host, key)) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using (var response = await SendAsync(host, key: null)) await ApiResponses.AssertProblemAsync(response, 401);

            var revoked = await HostProcess.RunAsync(["keys", "revoke", "ci", data], new Dictionary<string, string>(), folder.Path);
            Assert.True(revoked.ExitCode == 0, revoked.Stderr);
            using (var response = await SendAsync(host, key)) await ApiResponses.AssertProblemAsync(response, 401);
            // With no key left, loopback needs none again (the quick start's case).
            using (var response = await SendAsync(host, key: null)) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Starting_on_a_non_loopback_address_with_no_key_logs_a_warning_that_says_so()
    {
        var logs = new CapturedLogs("no API key");
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel, "--urls=http://0.0.0.0:0"],
            configure: services => services.AddSingleton<ILoggerProvider>(logs));
        var warning = await logs.Seen.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("non-loopback", warning, StringComparison.Ordinal);
        Assert.Contains("401", warning, StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(IApiKeyStore keys, string name, params string[] scopes)
    {
        var key = ApiKeyText.Generate();
        Assert.True(await keys.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), scopes, DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }

    private static Task<HttpResponseMessage> SendAsync(RunningHost host, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { chatId = "keys", text = "/help" }) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return host.Http.SendAsync(request);
    }

    /// <summary>A logger provider that completes <see cref="Seen"/> with the first warning containing a text.</summary>
    private sealed class CapturedLogs(string text) : ILoggerProvider, ILogger
    {
        private readonly TaskCompletionSource<string> _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task<string> Seen => _seen.Task;
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (logLevel >= LogLevel.Warning && message.Contains(text, StringComparison.Ordinal)) _seen.TrySetResult(message);
        }
        public void Dispose() { }
    }
}
