using System.Reflection;
using Moltworker.Benchmarks;

// Every IBench in this assembly, by name: `dotnet run -c Release --project bench/Moltworker.Benchmarks -- <name> [args]`.
var benches = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBench).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var bench = args.Length > 0 ? benches.FirstOrDefault(b => string.Equals(b.Name, args[0], StringComparison.OrdinalIgnoreCase)) : null;
if (bench is null)
{
    if (args.Length > 0) Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
    Console.WriteLine("Benchmarks:");
    foreach (var b in benches) Console.WriteLine($"  {b.Name}");
    Console.WriteLine("Run one: dotnet run -c Release --project bench/Moltworker.Benchmarks -- <name>");
    return args.Length > 0 ? 2 : 0;
}
return await bench.RunAsync(args[1..]);
