using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Abstractions;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.State;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Storage.Sqlite;

namespace Moltworker.Knowledge.Tests.Tools;

/// <summary>The knowledge base wired into the kernel the way the host does it (no model configured).</summary>
public class KnowledgeInHostTests
{
    private static IHost Build(TempFolder folder, params (string Key, string? Value)[] extra)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = folder.Combine("data"),
            ["Moltworker:Knowledge:SeedFolder"] = "knowledge",
        }.Concat(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))));
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddKnowledge(builder.Configuration);
        builder.Services.AddKnowledge(builder.Configuration); // idempotent
        return builder.Build();
    }

    private static void Seed(TempFolder folder)
    {
        folder.File("knowledge/telegram.md", "# Telegram\n\n## Bot token\n\nSet Moltworker__Telegram__BotToken to the token BotFather gave you.\n");
        folder.File("knowledge/plugins.md", "# Plugins\n\nA plugin is a plain class whose tool methods carry [Tool].\n");
    }

    [Fact]
    public async Task Without_a_model_free_text_is_answered_with_quoted_cited_passages_from_the_seeded_folder()
    {
        using var folder = new TempFolder();
        Seed(folder);
        using var host = Build(folder);
        await host.StartAsync();
        var seeded = await host.Services.GetRequiredService<KnowledgeSeedService>().Completion;
        Assert.Equal(2, seeded!.Added);

        var reply = await host.Services.GetRequiredService<IChatService>().HandleAsync(
            new IncomingMessage(new ChatAddress("test", "1"), "where does the telegram bot token go?"), CancellationToken.None);

        var lines = reply.Text.Split('\n');
        Assert.Contains("No model is configured", lines[0]);
        Assert.Contains("> Set Moltworker__Telegram__BotToken", reply.Text);
        Assert.Contains("[1] Telegram › Bot token — ", reply.Text);
        Assert.EndsWith("telegram.md", reply.Citations[0].Source);
        Assert.False(reply.IsError);
        Assert.Contains("/help", lines[^1]);

        var nothing = await host.Services.GetRequiredService<IChatService>().HandleAsync(
            new IncomingMessage(new ChatAddress("test", "1"), "zyxwvut qqqq"), CancellationToken.None);
        Assert.True(nothing.IsError);
        Assert.Contains("Nothing in the knowledge base matches", nothing.Text);
        Assert.StartsWith("_No model is configured", nothing.Text);

        var health = host.Services.GetServices<IHealthContributor>().Single(h => h.Name == "knowledge");
        Assert.True((await health.CheckAsync(CancellationToken.None)).Healthy);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_separate_SqlitePath_holds_the_knowledge_base_under_the_hosts_rules_with_background_checkpoints()
    {
        using var folder = new TempFolder();
        Seed(folder);
        using var host = Build(folder, ("Moltworker:Knowledge:SqlitePath", "kb/knowledge.db"));
        await host.StartAsync();
        Assert.Equal(2, (await host.Services.GetRequiredService<KnowledgeSeedService>().Completion)!.Added);

        var file = host.Services.GetRequiredService<Moltworker.Knowledge.Stores.Sqlite.FileConnectionFactory>();
        Assert.Same(file, host.Services.GetRequiredService<Moltworker.Knowledge.Stores.Sqlite.IKnowledgeConnectionFactory>());
        Assert.Equal(folder.Combine("kb/knowledge.db"), file.Database.Path);
        async Task<long> ScalarAsync(string sql) => await file.Database.RunAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = sql;
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(2, await ScalarAsync("SELECT COUNT(*) FROM kb_documents"));
        Assert.Equal(0, await ScalarAsync("PRAGMA wal_autocheckpoint"));   // checkpoints run in the background, as for moltworker.db

        // The shared database does not get the knowledge tables.
        var shared = host.Services.GetRequiredService<Moltworker.Storage.Sqlite.Database.SqliteDatabase>();
        Assert.Equal(0L, await shared.RunAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'kb_documents'";
            return (long)(await command.ExecuteScalarAsync())!;
        }));

        await host.StopAsync();
        Assert.Equal(1000, await ScalarAsync("PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public async Task Knowledge_search_is_a_parallel_safe_tool_that_runs_through_the_kernel_pipeline()
    {
        using var folder = new TempFolder();
        Seed(folder);
        using var host = Build(folder);
        await host.StartAsync();
        await host.Services.GetRequiredService<KnowledgeSeedService>().Completion;

        var tool = host.Services.GetRequiredService<PluginCatalog>().Snapshot.Tools["knowledge_search"];
        var metadata = ToolMetadata.Of(tool);
        Assert.True(metadata.ParallelSafe);
        Assert.False(metadata.SideEffects);
        Assert.Null(metadata.Command);
        Assert.False(host.Services.GetRequiredService<PluginCatalog>().Snapshot.Tools.ContainsKey("knowledge_ingest"));

        var direct = (await tool.InvokeAsync(new AIFunctionArguments { ["query"] = "plugin tool methods", ["top"] = 2 }))!.ToString()!;
        Assert.Contains("Retrieval: keyword-only", direct);
        Assert.Contains("[1] Plugins", direct);
        Assert.Contains("cite them inline as [n]", direct);

        var outcomes = await host.Services.GetRequiredService<IToolInvoker>().InvokeBatchAsync(
            [new ToolRequest("knowledge_search", new Dictionary<string, object?> { ["query"] = "bot token" }),
             new ToolRequest("knowledge_search", new Dictionary<string, object?> { ["query"] = "plugin", ["top"] = 1 })],
            new ToolContext { TaskId = "t1", CallId = "c0" }, CancellationToken.None);
        Assert.All(outcomes, o => Assert.False(o.IsError, o.Content));
        Assert.Contains("Moltworker__Telegram__BotToken", outcomes[0].Content);
        Assert.Contains("[1] Plugins", outcomes[1].Content);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_ingest_tool_exists_only_when_allowed_and_only_reads_allowed_folders()
    {
        using var folder = new TempFolder();
        Seed(folder);
        folder.File("outside/secret.md", "# Secret\n\nDo not ingest.\n");
        folder.File("knowledge/new.md", "# New\n\nFresh capybara document.\n");
        using var host = Build(folder, ("Moltworker:Knowledge:AllowIngestTool", "true"), ("Moltworker:Knowledge:IngestSeedOnStart", "false"));
        var tool = host.Services.GetRequiredService<PluginCatalog>().Snapshot.Tools["knowledge_ingest"];
        Assert.True(ToolMetadata.Of(tool).SideEffects);

        var ok = (await tool.InvokeAsync(new AIFunctionArguments { ["path"] = folder.Combine("knowledge/new.md") }))!.ToString()!;
        Assert.Contains("1 added", ok);
        var refused = await Assert.ThrowsAsync<ToolException>(async () => await tool.InvokeAsync(new AIFunctionArguments { ["path"] = folder.Combine("outside/secret.md") }));
        Assert.Contains("outside the folders", refused.Message);

        var search = host.Services.GetRequiredService<KnowledgeSearchService>();
        Assert.Single((await search.SearchAsync("capybara", 3, null, CancellationToken.None)).Hits);
        Assert.Empty((await search.SearchAsync("secret ingest", 3, null, CancellationToken.None)).Hits);
    }
}
