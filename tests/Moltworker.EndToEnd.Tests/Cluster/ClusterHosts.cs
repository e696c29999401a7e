using Moltworker.EndToEnd.Tests.Operations;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;
using Npgsql;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>
/// <c>moltworker run</c> hosts sharing one PostgreSQL database, each with its own data folder, against the in-test model
/// (it answers <c>echo &lt;the user's text&gt;</c>) and Bot API. Leases are short (2 s, renewed every 0.5 s), so a
/// takeover is quick enough for a test, unless a test asks for the production defaults.
/// </summary>
public sealed class ClusterHosts : IAsyncDisposable
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    public const string WebhookSecret = "cluster-secret";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "mw-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServingHostProcess> _hosts = [];

    private ClusterHosts(string connectionString, FakeOpenAIServer llm, TelegramBotApiServer telegram)
    {
        ConnectionString = connectionString;
        Llm = llm;
        Telegram = telegram;
    }

    public string ConnectionString { get; }
    public FakeOpenAIServer Llm { get; }
    public TelegramBotApiServer Telegram { get; }

    public static async Task<ClusterHosts> CreateAsync(string connectionString)
    {
        var llm = await FakeOpenAIServer.StartAsync();
        llm.RecordRequests = false;
        llm.Responder = request => ScriptedReply.Answer("echo " + request.Messages.Last(m => m.Role == "user").Content);
        return new ClusterHosts(connectionString, llm, await TelegramBotApiServer.StartAsync());
    }

    /// <summary>The model's answer to <paramref name="text"/>.</summary>
    public static string Echo(string text) => "echo " + text;

    /// <summary>Starts one more host, in Telegram's <c>Webhook</c> or <c>Polling</c> mode, with <see cref="Lease"/>
    /// or (<paramref name="productionLease"/>) the default 10 s lease renewed every 3 s.</summary>
    public async Task<ServingHostProcess> StartHostAsync(string mode, bool productionLease = false)
    {
        string[] lease = productionLease ? [] : [$"--Moltworker:Cluster:LeaseDuration={Lease}", "--Moltworker:Cluster:RenewEvery=00:00:00.5"];
        var data = Path.Combine(_root, "host" + _hosts.Count);
        Directory.CreateDirectory(data);
        var host = await ServingHostProcess.StartAsync(data, data,
        [
            "--Moltworker:Storage:Provider=Postgres", $"--Moltworker:Storage:ConnectionString={ConnectionString}",
            $"--Moltworker:Llm:BaseUrl={Llm.BaseUrl}", "--Moltworker:Llm:ApiKey=test-key", "--Moltworker:Llm:Model=test-model",
            "--Moltworker:Llm:MaxRetries=0",
            $"--Moltworker:Telegram:BotToken={Telegram.Token}", $"--Moltworker:Telegram:ApiRoot={Telegram.ApiRoot}",
            $"--Moltworker:Telegram:Mode={mode}", "--Moltworker:Telegram:RateLimitPerUser=0", "--Moltworker:Telegram:ShowProgress=false",
            "--Moltworker:Telegram:PollTimeoutSeconds=1",
            "--Moltworker:Telegram:WebhookUrl=https://bot.example/telegram/webhook", $"--Moltworker:Telegram:WebhookSecret={WebhookSecret}",
            .. lease,
        ]);
        _hosts.Add(host);
        // A host listens before it starts its hosted services: in webhook mode, wait until one has registered the webhook
        // with the fake Bot API (which then sends the secret with each delivery), as Telegram would.
        if (mode == "Webhook") await Telegram.WaitUntilAsync(s => s.WebhookSecret is not null, TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>Inbox items not yet finished, across all hosts.</summary>
    public Task<long> PendingAsync() => ScalarAsync("SELECT count(*) FROM inbox WHERE done_at IS NULL");

    /// <summary>A count from the shared database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until at most <paramref name="remaining"/> stored inbox items are unfinished (checked every 100 ms,
    /// up to <paramref name="seconds"/>).</summary>
    public async Task DrainedAsync(int seconds = 60, int remaining = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await PendingAsync() > remaining)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{await PendingAsync()} inbox items still pending after {seconds} s");
            await Task.Delay(100);
        }
    }

    public string Output => string.Join("\n---\n", _hosts.Select((h, i) => $"host{i}:\n{h.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await Llm.DisposeAsync();
        await Telegram.DisposeAsync();
        try { Directory.Delete(_root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
