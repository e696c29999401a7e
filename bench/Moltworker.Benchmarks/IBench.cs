namespace Moltworker.Benchmarks; public interface IBench { string Name { get; } Task<int> RunAsync(string[] args); }
