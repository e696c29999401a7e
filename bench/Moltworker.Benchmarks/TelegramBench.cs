using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram;
using Moltworker.Kernel.Hosting;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Benchmarks;

/// <summary>
/// `telegram`: updates per second from the in-test Bot API (long polling) through the gateway (inbox in SQLite,
/// kernel turn, in-test OpenAI server answering at once over loopback) to sendMessage, for 1 and 100 chats,
/// and the p99 of the whole loop for one message at a time (the latency the gateway adds when the model is instant).
/// </summary>
public sealed class TelegramBench : IBench
{
    public string Name => "telegram";

    public async Task<int> RunAsync(string[] args)
    {
        var oneChat = Arg(args, "--updates-1chat", 400);
        var manyChats = Arg(args, "--updates-100chats", 2000);
        var samples = Arg(args, "--latency-samples", 300);
        await using var telegram = await TelegramBotApiServer.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        long modelArrival = 0;
        model.Responder = _ =>
        {
            Volatile.Write(ref modelArrival, Stopwatch.GetTimestamp());
            return ScriptedReply.Answer("**ok**, noted.");
        };
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moltworker-bench-telegram", Guid.NewGuid().ToString("N"));
        var app = BuildHost(telegram, model, dataDirectory);
        await app.StartAsync();
        try
        {
            await RunTurnsAsync(telegram, 1, 30); // warm-up: JIT, SQLite, connection pools
            var (latencies, toModel) = await MeasureLatencyAsync(telegram, samples, () => Volatile.Read(ref modelArrival));
            var perSecondOne = await RunTurnsAsync(telegram, 1, oneChat);
            var perSecondMany = await RunTurnsAsync(telegram, 100, manyChats);
            latencies.Sort();
            toModel.Sort();
            var p50 = Percentile(latencies, 0.50);
            var p99 = Percentile(latencies, 0.99);

            Console.WriteLine($"telegram: 1 chat     {perSecondOne,8:F1} updates/s ({oneChat} updates, in order)");
            Console.WriteLine($"telegram: 100 chats  {perSecondMany,8:F1} updates/s ({manyChats} updates, inbox cap {Environment.GetEnvironmentVariable("Moltworker__Inbox__MaxConcurrentChats") ?? "8 (default)"})");
            Console.WriteLine($"telegram: loop latency, one message at a time (getUpdates return → kernel → model → sendMessage): p50 {p50:F2} ms, p90 {Percentile(latencies, 0.90):F2} ms, p99 {p99:F2} ms over {samples}");
            Console.WriteLine($"telegram:   of which update → model request: p50 {Percentile(toModel, 0.50):F2} ms, p99 {Percentile(toModel, 0.99):F2} ms");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "telegram",
                ["updates_per_s_1chat"] = Math.Round(perSecondOne, 1),
                ["updates_per_s_100chats"] = Math.Round(perSecondMany, 1),
                ["p99_added_ms"] = Math.Round(p99, 2),
            }));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
        }
    }

    private static WebApplication BuildHost(TelegramBotApiServer telegram, FakeOpenAIServer model, string dataDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dataDirectory,
            ["Moltworker:Plugins:Directory"] = Path.Combine(dataDirectory, "plugins"),
            ["Moltworker:Llm:BaseUrl"] = model.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "bench",
            ["Moltworker:Llm:Model"] = "bench-model",
            ["Moltworker:Telegram:BotToken"] = telegram.Token,
            ["Moltworker:Telegram:ApiRoot"] = telegram.ApiRoot,
            ["Moltworker:Telegram:RateLimitPerUser"] = "0",
            ["Moltworker:Telegram:AllowedUserIds:0"] = "1",
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddTelegramChannel(builder.Configuration);
        var app = builder.Build();
        app.MapTelegramChannel();
        return app;
    }

    /// <summary>Enqueues <paramref name="total"/> updates spread over <paramref name="chats"/> chats at once; updates/s until all are answered.</summary>
    private static async Task<double> RunTurnsAsync(TelegramBotApiServer telegram, int chats, int total)
    {
        telegram.ClearHistory();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < total; i++) telegram.EnqueueText(1000 + i % chats, 1, "ping " + i);
        await telegram.WaitUntilAsync(s => s.MessageCount >= total, TimeSpan.FromMinutes(5));
        return total / watch.Elapsed.TotalSeconds;
    }

    private static async Task<(List<double> Total, List<double> ToModel)> MeasureLatencyAsync(TelegramBotApiServer telegram, int samples, Func<long> modelArrival)
    {
        telegram.ClearHistory();
        var latencies = new List<double>(samples);
        var toModel = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            telegram.EnqueueText(5, 1, "latency " + i);
            await telegram.WaitUntilAsync(s => s.MessageCount >= i + 1, TimeSpan.FromMinutes(1));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            toModel.Add(Stopwatch.GetElapsedTime(start, modelArrival()).TotalMilliseconds);
        }
        return (latencies, toModel);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
