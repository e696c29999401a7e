using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Hosting;
using Moltworker.Knowledge.Tests.Support;
using Moltworker.Storage.Sqlite;

namespace Moltworker.Knowledge.Tests.Tools;

/// <summary>The curated folder is ingested at the first start; at the next start an unchanged folder is not read again
/// (no ingest, no summary), and a changed file makes it ingest again.</summary>
public sealed class SeedFingerprintTests
{
    private static IHost Build(TempFolder folder)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.Path, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = folder.Combine("data"),
            ["Moltworker:Knowledge:SeedFolder"] = "knowledge",
        });
        builder.Services.AddMoltworkerKernel(builder.Configuration);
        builder.Services.AddSqliteStorage();
        builder.Services.AddKnowledge(builder.Configuration);
        return builder.Build();
    }

    private static async Task<Moltworker.Knowledge.Ingest.IngestSummary?> StartOnceAsync(TempFolder folder)
    {
        using var host = Build(folder);
        await host.StartAsync();
        var summary = await host.Services.GetRequiredService<KnowledgeSeedService>().Completion;
        await host.StopAsync();
        return summary;
    }

    [Fact]
    public async Task An_unchanged_seed_folder_is_not_read_again_at_the_next_start()
    {
        using var folder = new TempFolder();
        folder.File("knowledge/a.md", "# A\n\nAlpha.\n");
        folder.File("knowledge/b.md", "# B\n\nBravo.\n");

        Assert.Equal(2, (await StartOnceAsync(folder))!.Added);
        Assert.Null(await StartOnceAsync(folder));

        folder.File("knowledge/b.md", "# B\n\nBravo, changed and longer.\n");
        var again = await StartOnceAsync(folder);
        Assert.NotNull(again);
        Assert.Equal(1, again.Updated);
        Assert.Equal(1, again.Unchanged);
    }
}
