using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord;
using Moltworker.Channels.Discord.Signing;
using Moltworker.Kernel.Hosting;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.Discord;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Moltworker.Benchmarks;

/// <summary>
/// Discord channel: Ed25519 verifications per second, and over real HTTP on loopback (kernel, SQLite inbox,
/// in-test Discord) the time from a signed /status interaction to its deferred response and to the edit of the
/// original response. Args: [interactions=200] [verifications=2000].
/// </summary>
public sealed class DiscordBench : IBench
{
    public string Name => "discord";

    public async Task<int> RunAsync(string[] args)
    {
        var interactions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var verifications = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var publicHex = Convert.ToHexStringLower(((Ed25519PublicKeyParameters)pair.Public).GetEncoded());
        string Sign(string ts, string body)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, pair.Private);
            var bytes = Encoding.UTF8.GetBytes(ts + body);
            signer.BlockUpdate(bytes, 0, bytes.Length);
            return Convert.ToHexStringLower(signer.GenerateSignature());
        }

        // 1. Signature verification alone.
        var verifier = new Ed25519SignatureVerifier(publicHex);
        var message = """{"id":"1","type":2,"token":"t","data":{"name":"status"}}""";
        var sig = Sign("1700000000", message);
        var payload = Encoding.UTF8.GetBytes("1700000000" + message);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < verifications; i++)
            if (!verifier.Verify(sig, payload)) throw new InvalidOperationException("verification failed");
        var verifyPerSecond = verifications / sw.Elapsed.TotalSeconds;

        // 2. Signed interactions through the whole stack.
        await using var discord = await FakeDiscordServer.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("moltworker-discord-bench-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dataDir,
            ["Moltworker:Plugins:Watch"] = "false",
            ["Moltworker:Plugins:Directory"] = Path.Combine(dataDir, "plugins"),
            ["Moltworker:Discord:ApiBase"] = discord.ApiBase,
            ["Moltworker:Discord:BotToken"] = "bench-token",
            ["Moltworker:Discord:ApplicationId"] = "4242",
            ["Moltworker:Discord:PublicKey"] = publicHex,
            ["Moltworker:Discord:UserRateLimit"] = "0",
        });
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddDiscordChannel(builder.Configuration);
        await using var app = builder.Build();
        app.MapDiscordChannel();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var deferred = new List<double>();
        var answered = new List<double>();
        for (var i = 0; i < interactions; i++)
        {
            var id = (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var body = new JsonObject
            {
                ["id"] = id, ["application_id"] = "4242", ["type"] = 2, ["token"] = $"tok-{id}", ["channel_id"] = $"c{i % 8}",
                ["guild_id"] = "g", ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = $"u{i % 8}" }, ["roles"] = new JsonArray() },
                ["data"] = new JsonObject { ["name"] = "status", ["type"] = 1 },
            }.ToJsonString();
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/discord/interactions")
            {
                Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add(InteractionSignatureValidator.SignatureHeader, Sign(ts, body));
            request.Headers.Add(InteractionSignatureValidator.TimestampHeader, ts);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var type = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32();
            if (type != 5) throw new InvalidOperationException($"expected a deferred response, got type {type}");
            deferred.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await discord.Rest.WaitForAsync(r => r.Is("PATCH", $"tok-{id}/messages/@original") && r.Content.StartsWith("Model:", StringComparison.Ordinal));
            answered.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        await app.StopAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }

        static double P(List<double> xs, double q) { var s = xs.Order().ToList(); return Math.Round(s[(int)Math.Min(s.Count - 1, Math.Floor(q * s.Count))], 2); }
        Console.WriteLine($"Ed25519 verifications: {verifyPerSecond:F0}/s");
        Console.WriteLine($"Deferred response: p50 {P(deferred, 0.5)} ms, p95 {P(deferred, 0.95)} ms; answer edited in: p50 {P(answered, 0.5)} ms, p95 {P(answered, 0.95)} ms ({interactions} interactions)");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = Name,
            interactions,
            verify_per_second = Math.Round(verifyPerSecond),
            deferred_p50_ms = P(deferred, 0.5),
            deferred_p95_ms = P(deferred, 0.95),
            answered_p50_ms = P(answered, 0.5),
            answered_p95_ms = P(answered, 0.95),
        }));
        return 0;
    }
}
