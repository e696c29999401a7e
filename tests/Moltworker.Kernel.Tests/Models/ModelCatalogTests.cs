using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Testing.OpenAI;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Kernel.Tests.Models;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("moltworker-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "models.override.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_built_in_catalog_knows_capabilities_prices_and_fallbacks()
    {
        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions()));

        var gpt4o = catalog.Get("gpt-4o");
        Assert.True(gpt4o.Tools);
        Assert.True(gpt4o.ParallelCalls);
        Assert.Equal(128_000, gpt4o.ContextWindow);
        Assert.Equal(["gpt-4o-mini"], gpt4o.Fallbacks);
        Assert.Equal(2.5m + 10m, gpt4o.Cost(1_000_000, 1_000_000));
        Assert.Equal("medium", catalog.Get("o4-mini").ReasoningEffort);
        Assert.Same(catalog.Get("GPT-4O"), gpt4o);
    }

    [Fact]
    public void Unknown_models_get_conservative_defaults()
    {
        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions()));

        var unknown = catalog.Get("my-local-model");

        Assert.False(catalog.TryGet("my-local-model", out _));
        Assert.Equal(("my-local-model", true, false, (int?)null, 0m), (unknown.Id, unknown.Tools, unknown.ParallelCalls, unknown.ContextWindow, unknown.Cost(1000, 1000)));
        Assert.False(unknown.Images);
        Assert.Empty(unknown.Fallbacks);
        Assert.Null(unknown.Tokenizer);
    }

    [Fact]
    public void An_override_file_merges_field_by_field_and_adds_new_models()
    {
        var path = Write("""
            {
              // comments and trailing commas are fine
              "gpt-4o": { "inputPricePerMillion": 1.25, "fallbacks": ["my-local-model", "gpt-4o-mini"] },
              "o4-mini": { "reasoningEffort": "none" },
              "my-local-model": { "parallelCalls": true, "contextWindow": 32768, "reasoningEffort": "low", "images": true },
            }
            """);

        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = path }));

        var gpt4o = catalog.Get("gpt-4o");
        Assert.Equal(1.25m, gpt4o.InputPricePerMillion);
        Assert.Equal(10m, gpt4o.OutputPricePerMillion);
        Assert.Equal(128_000, gpt4o.ContextWindow);
        Assert.Equal(["my-local-model", "gpt-4o-mini"], gpt4o.Fallbacks);
        Assert.Null(catalog.Get("o4-mini").ReasoningEffort);
        Assert.Equal(200_000, catalog.Get("o4-mini").ContextWindow);
        var local = catalog.Get("my-local-model");
        Assert.True(catalog.TryGet("my-local-model", out _));
        Assert.Equal((true, true, 32_768, "low", true), (local.Tools, local.ParallelCalls, local.ContextWindow, local.ReasoningEffort, local.Images));
        Assert.True(gpt4o.Images); // kept from the built-in entry
        Assert.True(catalog.TryGet("gpt-4.1", out _));
    }

    [Fact]
    public void A_missing_or_broken_override_file_is_a_configuration_error_naming_the_setting()
    {
        var missing = Assert.Throws<ModelConfigurationException>(() =>
            new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = Path.Combine(_dir, "nope.json") })));
        var broken = Assert.Throws<ModelConfigurationException>(() =>
            new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = Write("{ \"gpt-4o\": { \"contextWindow\": \"big\" } }") })));

        Assert.Contains("Moltworker:Llm:CatalogPath", missing.Message);
        Assert.Contains("Moltworker:Llm:CatalogPath", broken.Message);
    }

    [Fact]
    public async Task Reasoning_effort_follows_the_catalog_when_the_model_takes_one()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Responder = _ => ScriptedReply.Answer("ok");
        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = Write("""{ "my-local-model": { "reasoningEffort": "low" } }""") }));
        ChatMessage[] hi = [new(ChatRole.User, "Hi")];

        async Task<string?> EffortSent(string model, string? configured)
        {
            var options = ModelClientFactory.Options(server, model);
            options.ReasoningEffort = configured;
            using var client = ModelClientFactory.Build(options, catalog);
            await client.GetResponseAsync(hi);
            return server.Requests[^1].ReasoningEffort;
        }

        Assert.Equal("medium", await EffortSent("o4-mini", null));          // the catalog's default
        Assert.Equal("high", await EffortSent("o4-mini", "high"));          // configuration overrides it
        Assert.Null(await EffortSent("gpt-4o", "high"));                    // a model that takes none gets none
        Assert.Equal("low", await EffortSent("my-local-model", null));      // from the override file
        Assert.Equal("high", await EffortSent("not-in-catalog", "high"));   // unknown model: configuration is trusted
        Assert.Null(await EffortSent("not-in-catalog", null));
    }
}
