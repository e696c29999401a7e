using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Moltworker.Plugins.Tests")]
[assembly: InternalsVisibleTo("Moltworker.Benchmarks")]
