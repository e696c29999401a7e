using System.Threading.Tasks.Sources;
using Moltworker.Kernel.Events;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>cards</c>: what a wait on a long-lived awaitable costs the next gen0 collection. A gen0 collection scans the
/// cards (the GC's record of old objects written since the last one) for references to young objects; each dirty card
/// is a piece of the old heap to read. 200,000 old objects (each one as a stream's wake-up would be), then, per round,
/// 2,000 of them (chosen at random) do one thing to an object field and a gen0 collection follows, for
/// <c>--rounds</c> rounds (400). Printed per way of writing: the collections' mean pause and their card-marking time
/// in all (<see cref="GcSurvivors"/>). The ways: nothing; a plain store of an old object (then null); the same store
/// through <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>; an interlocked exchange for null; one wait of the runtime's
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> (reset, await, complete, take the result), whose continuation
/// is handed over that way; and one wait of <see cref="ReusableValueTaskCore{TResult}"/>, which the streams' waits use.
/// </summary>
public sealed class CardsBench : IBench
{
    private const int Objects = 200_000, Touched = 2_000;

    public string Name => "cards";

    public Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 && args[0] == "--rounds" ? int.Parse(args[1]) : 400;
        Console.WriteLine($"cards bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores: {Objects:N0} old objects, " +
            $"{Touched:N0} of them written per round, a gen0 collection after each of {rounds} rounds");
        var holders = new Holder[Objects];
        for (var i = 0; i < holders.Length; i++) holders[i] = new Holder();
        var old = new object();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var random = new Random(13);
        Action<Holder>[] ways =
        [
            _ => { },
            h => { h.Field = old; h.Field = null; },
            h => { Interlocked.CompareExchange(ref h.Field, old, null); h.Field = null; },
            h => Interlocked.Exchange(ref h.Field, null),
            h => h.WaitOnRuntimeCore(old),
            h => h.WaitOnOurCore(old),
        ];
        string[] names = ["nothing", "plain store", "interlocked store", "interlocked null", "runtime core wait", "our core wait"];
        for (var w = 0; w < ways.Length; w++)
        {
            Round(holders, ways[w], random);   // compiled before it is measured
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var pauses = GC.GetTotalPauseDuration();
            var gc = GcSurvivors.Now();
            for (var r = 0; r < rounds; r++)
            {
                Round(holders, ways[w], random);
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            }
            var paused = GC.GetTotalPauseDuration() - pauses;
            var cards = GcSurvivors.Since(gc).OlderGenerations;
            Console.WriteLine($"  {names[w],-18} gen0 pause {paused.TotalMicroseconds / rounds,6:F0} µs each, card marking {cards.TotalMilliseconds,6:F1} ms in all");
        }
        return Task.FromResult(0);
    }

    private static void Round(Holder[] holders, Action<Holder> write, Random random)
    {
        for (var t = 0; t < Touched; t++) write(holders[random.Next(holders.Length)]);
    }

    /// <summary>An old object with an object field and the two cores, each used for one wait at a time.</summary>
    private sealed class Holder
    {
        private static readonly Action<object?> Continue = static _ => { };
        public object? Field;
        private ManualResetValueTaskSourceCore<bool> _runtime;
        private ReusableValueTaskCore<bool> _ours;

        public void WaitOnRuntimeCore(object state)
        {
            _runtime.Reset();
            _runtime.OnCompleted(Continue, state, _runtime.Version, ValueTaskSourceOnCompletedFlags.None);
            _runtime.SetResult(true);
            _runtime.GetResult(_runtime.Version);
        }

        public void WaitOnOurCore(object state)
        {
            _ours.Reset();
            _ours.OnCompleted(Continue, state, _ours.Version, ValueTaskSourceOnCompletedFlags.None);
            _ours.SetResult(true);
            _ours.GetResult(_ours.Version);
        }
    }
}
