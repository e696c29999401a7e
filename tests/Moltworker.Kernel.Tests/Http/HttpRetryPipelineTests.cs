using Moltworker.Kernel.Http;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Http;

public sealed class HttpRetryPipelineTests
{
    private sealed class Failure(bool transient, TimeSpan? retryAfter = null) : Exception("failed"), ITransientHttpFailure
    {
        public bool Transient { get; } = transient;
        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    private readonly FakeTimeProvider _time = new() { AutoAdvance = true };
    private readonly List<(int Attempt, TimeSpan Delay)> _retries = [];

    private async Task<int> RunAsync(Polly.ResiliencePipeline pipeline, params Failure[] failures)
    {
        var calls = 0;
        await pipeline.ExecuteAsync(_ =>
        {
            var call = calls++;
            return call < failures.Length ? throw failures[call] : ValueTask.CompletedTask;
        });
        return calls;
    }

    [Fact]
    public async Task Transient_failures_back_off_exponentially_and_a_Retry_After_replaces_the_backoff()
    {
        var pipeline = HttpRetryPipeline.Build<Failure>(3, TimeSpan.FromSeconds(1), null, _time, (a, d, _) => _retries.Add((a, d)));

        var calls = await RunAsync(pipeline, new Failure(true), new Failure(true, TimeSpan.FromSeconds(7)), new Failure(true));

        Assert.Equal(4, calls);
        Assert.Equal([(1, TimeSpan.FromSeconds(1)), (2, TimeSpan.FromSeconds(7)), (3, TimeSpan.FromSeconds(4))], _retries);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(4)], _time.RequestedDelays);
    }

    [Fact]
    public async Task Permanent_failures_and_exhausted_retries_reach_the_caller()
    {
        var pipeline = HttpRetryPipeline.Build<Failure>(2, TimeSpan.FromSeconds(1), null, _time, (a, d, _) => _retries.Add((a, d)));

        await Assert.ThrowsAsync<Failure>(() => RunAsync(pipeline, new Failure(false)));
        Assert.Empty(_retries);

        await Assert.ThrowsAsync<Failure>(() => RunAsync(pipeline, new Failure(true), new Failure(true), new Failure(true)));
        Assert.Equal(2, _retries.Count);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_longest_wait_is_not_waited_for()
    {
        var pipeline = HttpRetryPipeline.Build<Failure>(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), _time,
            (a, d, _) => _retries.Add((a, d)), longestWait: TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<Failure>(() => RunAsync(pipeline, new Failure(true, TimeSpan.FromMinutes(5))));

        Assert.Empty(_retries);
        Assert.Empty(_time.RequestedDelays);
    }

    [Fact]
    public async Task No_retries_configured_means_one_attempt()
    {
        var pipeline = HttpRetryPipeline.Build<Failure>(0, TimeSpan.FromSeconds(1), null, _time, (a, d, _) => _retries.Add((a, d)));
        await Assert.ThrowsAsync<Failure>(() => RunAsync(pipeline, new Failure(true)));
        Assert.Empty(_retries);
    }
}
