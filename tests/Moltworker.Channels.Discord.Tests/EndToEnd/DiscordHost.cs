using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Signing;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Kernel.Hosting;
using Moltworker.Storage.Sqlite;
using Moltworker.Testing.Discord;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>
/// The real kernel, SQLite storage and the Discord channel in a Kestrel host on loopback, with the sample plugin,
/// talking to the in-test Discord. <see cref="PostAsync"/> plays Discord: it signs and POSTs an interaction.
/// </summary>
public sealed class DiscordHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiscordHost(WebApplication app, FakeDiscordServer discord, TestSigner signer, ToolGate gate, string dataDir, string baseUrl)
    {
        _app = app;
        Discord = discord;
        Signer = signer;
        Gate = gate;
        DataDirectory = dataDir;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public FakeDiscordServer Discord { get; }
    public TestSigner Signer { get; }
    public ToolGate Gate { get; }
    public string DataDirectory { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="withFilters">Adds the host's filter set (durable tasks, journal, approvals), as the real host does.</param>
    public static async Task<DiscordHost> StartAsync(
        Dictionary<string, string?>? settings = null, FakeDiscordServer? discord = null, TestSigner? signer = null,
        string? dataDirectory = null, ToolGate? gate = null, ILoggerProvider? logs = null, Action<IServiceCollection>? configure = null,
        bool withFilters = false)
    {
        discord ??= await FakeDiscordServer.StartAsync();
        signer ??= new TestSigner();
        gate ??= new ToolGate();
        dataDirectory ??= Directory.CreateTempSubdirectory("moltworker-discord-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dataDirectory,
            ["Moltworker:Plugins:Directory"] = Path.Combine(dataDirectory, "plugins"),
            ["Moltworker:Plugins:Watch"] = "false",
            ["Moltworker:Discord:ApiBase"] = discord.ApiBase,
            ["Moltworker:Discord:GatewayUrl"] = discord.GatewayUrl,
            ["Moltworker:Discord:BotToken"] = RestHarness.BotToken,
            ["Moltworker:Discord:ApplicationId"] = RestHarness.ApplicationId,
            ["Moltworker:Discord:PublicKey"] = signer.PublicKeyHex,
            ["Moltworker:Discord:ProgressEditIntervalSeconds"] = "0",
        };
        foreach (var (k, v) in ManualClockSettings.NoBackgroundTimers) config[k] = v;   // tests wait for "the" timer
        foreach (var (k, v) in settings ?? []) config[k] = v;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton(gate);
        configure?.Invoke(builder.Services);
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        if (withFilters) builder.Services.AddMoltworkerFilters(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddPlugin<SampleToolsPlugin>();
        builder.Services.AddDiscordChannel(builder.Configuration);
        var app = builder.Build();
        app.MapDiscordChannel();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DiscordHost(app, discord, signer, gate, dataDirectory, address);
    }

    /// <summary>Signs (unless told otherwise) and POSTs an interaction to /discord/interactions.</summary>
    public Task<HttpResponseMessage> PostAsync(string body, string? signature = null, string? timestamp = null,
        bool omitSignature = false, bool omitTimestamp = false, TestSigner? signer = null)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        signature ??= (signer ?? Signer).Sign(timestamp, body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/discord/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (!omitSignature) request.Headers.Add(InteractionSignatureValidator.SignatureHeader, signature);
        if (!omitTimestamp) request.Headers.Add(InteractionSignatureValidator.TimestampHeader, timestamp);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(JsonObject interaction) => PostAsync(interaction.ToJsonString());

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Stops the host; the in-test Discord keeps running unless <paramref name="discordToo"/>.</summary>
    public async Task StopAsync(bool discordToo)
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (discordToo) await Discord.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Gate.Release();
        await StopAsync(discordToo: true);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
