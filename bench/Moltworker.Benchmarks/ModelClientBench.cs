using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>models</c>: the cost of the model client pipeline as the kernel registers it (fallbacks → tool-call repair →
/// M.E.AI's OpenAI adapter → OpenAI SDK → the named HttpClient with its Http.Resilience retry and attempt-timeout
/// handlers → loopback HTTP → the in-test server, which answers instantly) per call, non-streaming and streaming, each answer carrying one tool call and usage.
/// Options: <c>--calls N</c> (default 2000).
/// </summary>
public sealed class ModelClientBench : IBench
{
    public string Name => "models";

    public async Task<int> RunAsync(string[] args)
    {
        var calls = args.SkipWhile(a => a != "--calls").Skip(1).Select(int.Parse).FirstOrDefault(2000);
        await using var server = await FakeOpenAIServer.StartAsync();
        server.RecordRequests = false;
        server.Responder = _ => ScriptedReply.Calls(ScriptedToolCall.Json("weather", new { city = "Oslo", unit = "celsius" })) with { Text = "Checking the weather." };
        var options = new LlmOptions { BaseUrl = server.BaseUrl, ApiKey = "sk-bench", Model = "gpt-4o-mini" };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(new ModelCatalog(Microsoft.Extensions.Options.Options.Create(options)));
        services.AddModelClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        ChatMessage[] messages = [new(ChatRole.System, "You are a bench."), new(ChatRole.User, "Weather in Oslo?")];
        var tools = new ChatOptions { Tools = [AIFunctionFactory.Create((string city, string unit) => "rain", "weather", "Weather for a city")] };

        async Task<double[]> Measure(bool stream, int count)
        {
            var times = new double[count];
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                if (stream)
                {
                    var updates = new List<ChatResponseUpdate>();
                    await foreach (var u in client.GetStreamingResponseAsync(messages, tools)) updates.Add(u);
                    if (updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Count() != 1) throw new InvalidOperationException("no tool call");
                }
                else if ((await client.GetResponseAsync(messages, tools)).Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count() != 1)
                    throw new InvalidOperationException("no tool call");
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            return times;
        }

        await Measure(false, 200);
        await Measure(true, 200);
        var total = Stopwatch.StartNew();
        var json = await Measure(false, calls);
        var streamed = await Measure(true, calls);
        var perSecond = 2 * calls / total.Elapsed.TotalSeconds;

        static double P(double[] sorted, double q) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))], 3);
        Console.WriteLine($"model client over loopback, {calls} calls each, one tool call per answer");
        Console.WriteLine($"  non-streaming: p50 {P(json, 0.5)} ms, p99 {P(json, 0.99)} ms");
        Console.WriteLine($"  streaming:     p50 {P(streamed, 0.5)} ms, p99 {P(streamed, 0.99)} ms");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = Name,
            ["calls"] = calls,
            ["json_p50_ms"] = P(json, 0.5),
            ["json_p99_ms"] = P(json, 0.99),
            ["stream_p50_ms"] = P(streamed, 0.5),
            ["stream_p99_ms"] = P(streamed, 0.99),
            ["calls_per_s"] = Math.Round(perSecond, 1),
        }));
        return 0;
    }
}
