using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Moltworker.Kernel.Http;
using Moltworker.Testing.Hosting;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Http;

/// <summary>The shared classification of failed HTTP calls, over real HTTP against a loopback server.</summary>
public sealed class HttpFailureTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private WebApplication? _app;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        (_app, _base) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/status/{code:int}", (int code, string? retryAfter, HttpContext context) =>
            {
                if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
                return Results.StatusCode(code);
            });
            app.MapGet("/hang", async (HttpContext context) =>
            {
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
            });
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    private async Task<HttpFailure> StatusAsync(int code, string? retryAfter = null, bool conflictIsTransient = false)
    {
        var query = retryAfter is null ? "" : "?retryAfter=" + Uri.EscapeDataString(retryAfter);
        using var response = await _http.GetAsync(new Uri(_base, $"status/{code}{query}"));
        Assert.Equal(code, (int)response.StatusCode);
        return HttpFailure.FromResponse(response, _time, conflictIsTransient);
    }

    [Fact]
    public async Task A_429_with_Retry_After_seconds_is_transient_and_says_how_long_to_wait()
    {
        var failure = await StatusAsync(429, "7");
        Assert.Equal(new HttpFailure(HttpFailureKind.Status, 429, true, TimeSpan.FromSeconds(7)), failure);
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_an_HTTP_date_waits_until_that_date_on_the_injected_clock()
    {
        var until = _time.GetUtcNow().AddSeconds(90).ToString("R", CultureInfo.InvariantCulture);
        var failure = await StatusAsync(429, until);
        Assert.Equal(new HttpFailure(HttpFailureKind.Status, 429, true, TimeSpan.FromSeconds(90)), failure);

        var past = _time.GetUtcNow().AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, (await StatusAsync(429, past)).RetryAfter);
        Assert.Null((await StatusAsync(429)).RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Server_errors_and_request_timeouts_are_transient(int code)
    {
        var failure = await StatusAsync(code);
        Assert.Equal(new HttpFailure(HttpFailureKind.Status, code, true, null), failure);
    }

    [Fact]
    public async Task A_503_keeps_its_Retry_After()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), (await StatusAsync(503, "3")).RetryAfter);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Client_errors_are_not_transient(int code)
    {
        var failure = await StatusAsync(code);
        Assert.False(failure.Transient);
        Assert.Equal(code, failure.Status);
    }

    [Fact]
    public async Task A_409_is_transient_only_where_the_caller_says_a_conflict_passes()
    {
        Assert.False((await StatusAsync(409)).Transient);
        Assert.True((await StatusAsync(409, conflictIsTransient: true)).Transient);
    }

    [Fact]
    public async Task A_timeout_is_transient_and_the_callers_own_cancellation_is_not_a_failure()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        var timedOut = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.GetAsync(new Uri(_base, "hang")));
        Assert.Equal(new HttpFailure(HttpFailureKind.Timeout, 0, true, null), HttpFailure.FromException(timedOut, CancellationToken.None));

        using var caller = new CancellationTokenSource();
        var pending = _http.GetAsync(new Uri(_base, "hang"), caller.Token);
        await caller.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Null(HttpFailure.FromException(cancelled, caller.Token));
    }

    [Fact]
    public async Task Connection_refused_is_transient_and_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync($"http://127.0.0.1:{port}/"));
        Assert.Equal(new HttpFailure(HttpFailureKind.Unreachable, 0, true, null), HttpFailure.FromException(refused, CancellationToken.None));
    }

    [Fact]
    public void Anything_else_is_not_an_HTTP_failure_and_unreadable_Retry_After_is_ignored()
    {
        Assert.Null(HttpFailure.FromException(new InvalidOperationException("bug"), CancellationToken.None));
        Assert.Null(HttpFailure.ParseRetryAfter("soon", _time));
        Assert.Null(HttpFailure.ParseRetryAfter("-3", _time));
        Assert.Equal(TimeSpan.FromSeconds(1.5), HttpFailure.ParseRetryAfter(" 1.5 ", _time));
    }
}
