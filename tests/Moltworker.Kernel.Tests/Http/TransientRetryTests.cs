using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Http;
using Moltworker.Testing.Hosting;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Http;

/// <summary>
/// The retries of the outgoing HTTP clients (<see cref="TransientRetryHttpClientBuilderExtensions.AddTransientRetry"/>:
/// Microsoft.Extensions.Http.Resilience), wired the way the host wires them, over real HTTP against a loopback server
/// that answers each path with a scripted sequence of statuses; delays on a fake clock.
/// </summary>
public sealed class TransientRetryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero)) { AutoAdvance = true };
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter, string? RetryAfterMs)>> _script = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        (_app, _base) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/s/{name}", (string name, HttpContext context) =>
            {
                _hits.AddOrUpdate(name, 1, (_, n) => n + 1);
                if (!_script.TryGetValue(name, out var queue) || !queue.TryDequeue(out var next)) return Results.Text("ok");
                if (next.RetryAfter is not null) context.Response.Headers.RetryAfter = next.RetryAfter;
                if (next.RetryAfterMs is not null) context.Response.Headers["retry-after-ms"] = next.RetryAfterMs;
                return Results.StatusCode(next.Status);
            });
            app.MapGet("/hang", async (HttpContext context) =>
            {
                _hits.AddOrUpdate("hang", 1, (_, n) => n + 1);
                _hanging.TrySetResult();
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private void Script(string name, params (int Status, string? RetryAfter, string? RetryAfterMs)[] answers) =>
        _script[name] = new ConcurrentQueue<(int, string?, string?)>(answers);

    private HttpClient Client(HttpRetrySettings settings, out ServiceProvider provider, AttemptCounter? attempts = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        var client = services.AddHttpClient("test").AddTransientRetry(_ => settings);
        if (attempts is not null) client.AddHttpMessageHandler(() => attempts);   // inside the retries: sees each attempt
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }

    private static HttpRetrySettings Settings(int retries = 3, TimeSpan? longestWait = null, bool conflict = false) =>
        new(retries, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)) { LongestWait = longestWait, ConflictIsTransient = conflict };

    [Fact]
    public async Task Transient_statuses_back_off_exponentially_without_jitter_then_succeed()
    {
        Script("a", (503, null, null), (500, null, null), (408, null, null));
        using var http = Client(Settings(), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/a")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(4, _hits["a"]);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _time.RequestedDelays);
    }

    [Fact]
    public async Task Retry_After_in_seconds_as_an_HTTP_date_or_in_ms_is_waited_for_on_the_injected_clock()
    {
        var date = _time.GetUtcNow().AddSeconds(97).ToString("R", CultureInfo.InvariantCulture);
        Script("b", (429, "7", null), (503, date, null), (429, null, "1500"), (429, "0", null));
        using var http = Client(Settings(retries: 4), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/b")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // 7 s; until the date (97 s after the start, read 7 s later: 90 s); 1.5 s; zero means the backoff (1 × 2³).
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8)], _time.RequestedDelays);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_longest_wait_goes_back_to_the_caller_at_once()
    {
        Script("c", (429, "3600", null));
        using var http = Client(Settings(longestWait: TimeSpan.FromSeconds(30)), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/c")))
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);

        Assert.Equal(1, _hits["c"]);
        Assert.Empty(_time.RequestedDelays);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(409)]
    public async Task Permanent_statuses_and_a_conflict_by_default_are_not_retried(int status)
    {
        Script("d", (status, null, null));
        using var http = Client(Settings(), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/d")))
            Assert.Equal(status, (int)response.StatusCode);

        Assert.Equal(1, _hits["d"]);
    }

    [Fact]
    public async Task A_conflict_is_retried_where_the_client_says_it_passes()
    {
        Script("e", (409, null, null));
        using var http = Client(Settings(conflict: true), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/e")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(2, _hits["e"]);
    }

    [Fact]
    public async Task Retries_give_up_after_the_limit_and_return_the_last_answer()
    {
        Script("f", (500, null, null), (502, null, null), (503, null, null));
        using var http = Client(Settings(retries: 2), out var sp);
        using (sp)
        using (var response = await http.GetAsync(new Uri(_base, "s/f")))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        Assert.Equal(3, _hits["f"]);
    }

    [Fact]
    public async Task A_request_marked_no_retry_is_sent_once()
    {
        Script("g", (503, null, null));
        using var http = Client(Settings(), out var sp);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "s/g"));
        request.Options.Set(TransientHttpRetry.NoRetry, true);
        using (sp)
        using (var response = await http.SendAsync(request))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        Assert.Equal(1, _hits["g"]);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_surfaces_as_the_network_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var http = Client(Settings(retries: 2), out var sp);
        using (sp)
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{port}/"));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _time.RequestedDelays);
    }

    [Fact]
    public async Task Each_attempt_is_cut_off_after_the_attempt_timeout_in_real_time_and_retried()
    {
        var settings = new HttpRetrySettings(1, TimeSpan.FromSeconds(1), null, TimeSpan.FromMilliseconds(200));
        var attempts = new AttemptCounter();
        using var http = Client(settings, out var sp, attempts);
        using (sp)
            await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => http.GetAsync(new Uri(_base, "hang")));

        // Counted where they are sent: on a loaded machine the second attempt can be cut off before the server reads it.
        Assert.Equal(2, attempts.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], _time.RequestedDelays); // the timeouts are not on the test clock
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_not_retried()
    {
        using var http = Client(Settings(), out var sp);
        using var cancel = new CancellationTokenSource();
        var call = http.GetAsync(new Uri(_base, "hang"), cancel.Token);
        await _hanging.Task;
        await cancel.CancelAsync();
        using (sp)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.Equal(1, _hits["hang"]);
        Assert.Empty(_time.RequestedDelays);
    }

    [Fact]
    public void The_whole_call_budget_covers_every_attempt_and_wait()
    {
        var settings = new HttpRetrySettings(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
        Assert.Equal(TimeSpan.FromSeconds(120 * 4 + 30 * 3), settings.WholeCallBudget);
        Assert.Equal(TimeSpan.FromDays(1), (settings with { AttemptTimeout = TimeSpan.FromDays(3) }).WholeCallBudget);
    }

    /// <summary>Counts the requests sent through it.</summary>
    private sealed class AttemptCounter : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
