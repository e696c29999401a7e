using Microsoft.Extensions.AI;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Kernel.Tests.Context;

public sealed class TokenCounterTests
{
    private static readonly TokenCounter Counter = new();
    private static readonly ModelInfo Gpt4o = new() { Id = "gpt-4o", Tokenizer = TokenEncodings.O200kBase };
    private static readonly ModelInfo Gpt4 = new() { Id = "gpt-4", Tokenizer = TokenEncodings.Cl100kBase };

    /// <summary>Reference counts: the first two are OpenAI's published examples (tiktoken's README and cookbook); the
    /// rest were computed once with the tokenizers and pin that the right vocabulary is used.</summary>
    public static TheoryData<string, int, int> Fixtures => new()
    {
        { "hello world", 2, 2 },
        { "tiktoken is great!", 6, 6 },
        { "The quick brown fox jumps over the lazy dog.", 10, 10 },
        { "Привет, как дела? 你好，世界！", 11, 16 },
        { "def add(a, b):\n    return a + b\n", 12, 12 },
        { "🙂🚀 emoji and   spaces\t\ttabs", 10, 12 },
        { "https://example.com/path?q=token+count&lang=en", 13, 13 },
        { "antidisestablishmentarianism", 6, 6 },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Text_counts_match_the_tokenizers_reference_counts(string text, int o200k, int cl100k)
    {
        Assert.Equal(o200k, Counter.CountText(Gpt4o, text));
        Assert.Equal(cl100k, Counter.CountText(Gpt4, text));
    }

    [Fact]
    public void The_catalog_names_each_models_tokenizer_and_an_unknown_model_has_none()
    {
        var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions()));

        Assert.Equal(TokenEncodings.O200kBase, Counter.EncodingFor(catalog.Get("gpt-4o")).Name);
        Assert.Equal(TokenEncodings.O200kBase, Counter.EncodingFor(catalog.Get("gpt-4.1-mini")).Name);
        Assert.Equal(TokenEncodings.O200kBase, Counter.EncodingFor(catalog.Get("o4-mini")).Name);
        Assert.Equal(TokenEncodings.Cl100kBase, Counter.EncodingFor(catalog.Get("gpt-4")).Name);
        Assert.Equal(TokenEncodings.Cl100kBase, Counter.EncodingFor(catalog.Get("gpt-3.5-turbo")).Name);
        Assert.True(Counter.EncodingFor(catalog.Get("llama3.1:8b")).IsEstimate);
        Assert.True(Counter.EncodingFor(catalog.Get("my-local-model")).IsEstimate);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]
    [InlineData("hello world", 3)]
    public void An_unknown_model_uses_the_estimate_of_characters_over_four_rounded_up(string text, int expected)
    {
        var unknown = ModelInfo.Unknown("my-local-model");

        Assert.Equal(expected, Counter.CountText(unknown, text));
        Assert.Equal(CharacterEstimate.Instance, Counter.EncodingFor(unknown));
    }

    [Fact]
    public void A_message_costs_its_framing_plus_its_text()
    {
        var message = new ChatMessage(ChatRole.User, "hello world");

        Assert.Equal(MessageOverhead.PerMessage + 2, Counter.CountMessage(Gpt4o, message));
        Assert.Equal(MessageOverhead.ReplyPriming + 2 * (MessageOverhead.PerMessage + 2),
            Counter.CountRequest(Gpt4o, [message, new ChatMessage(ChatRole.Assistant, "hello world")]));
    }

    [Fact]
    public void Tool_calls_count_their_id_name_and_arguments_and_tool_results_their_id_and_text()
    {
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "echo", new Dictionary<string, object?> { ["text"] = "hello world" })]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "The quick brown fox jumps over the lazy dog.")]);

        var expectedCall = MessageOverhead.PerMessage + MessageOverhead.PerToolCall + Counter.CountText(Gpt4o, "c1")
                           + Counter.CountText(Gpt4o, "echo") + Counter.CountText(Gpt4o, """{"text":"hello world"}""");
        Assert.Equal(expectedCall, Counter.CountMessage(Gpt4o, call));
        Assert.Equal(MessageOverhead.PerMessage + MessageOverhead.PerToolResult + Counter.CountText(Gpt4o, "c1") + 10,
            Counter.CountMessage(Gpt4o, result));
    }

    [Fact]
    public void Offered_tools_are_part_of_the_request()
    {
        var tool = AIFunctionFactory.Create((string city) => "sunny", "weather", "The weather in a city today.");
        var options = new ChatOptions { Tools = [tool] };
        var messages = new[] { new ChatMessage(ChatRole.User, "hi") };

        var withTools = Counter.CountRequest(Gpt4o, messages, options);
        var without = Counter.CountRequest(Gpt4o, messages);

        Assert.Equal(MessageOverhead.PerToolDefinition + Counter.CountText(Gpt4o, "weather") + Counter.CountText(Gpt4o, "The weather in a city today.")
                     + Counter.CountText(Gpt4o, tool.JsonSchema.GetRawText()), withTools - without);
    }

    [Fact]
    public void An_image_counts_as_the_stated_estimate()
    {
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png")]);

        Assert.Equal(MessageOverhead.PerMessage + MessageOverhead.PerImage, Counter.CountMessage(Gpt4o, message));
    }

    [Fact]
    public void Counting_from_many_threads_at_once_gives_the_same_counts()
    {
        var texts = Enumerable.Range(0, 64).Select(i => string.Join(' ', Enumerable.Range(0, 200).Select(j => $"word{i * j} Ünïcødé {j}"))).ToArray();
        var sequential = texts.Select(t => Counter.CountText(Gpt4o, t)).ToArray();

        var parallel = new int[texts.Length];
        Parallel.For(0, texts.Length * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i % texts.Length] = Counter.CountText(Gpt4o, texts[i % texts.Length]));

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void The_catalog_rejects_a_tokenizer_it_does_not_know_with_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "my-model": { "tokenizer": "p50k_base" } }""");
        try
        {
            var ex = Assert.Throws<ModelConfigurationException>(() => new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = path })));
            Assert.Contains("'p50k_base'", ex.Message);
            Assert.Contains("o200k_base, cl100k_base, estimate", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_catalog_file_can_name_a_tokenizer_and_a_window_for_a_local_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "my-model": { "tokenizer": "CL100K_BASE", "contextWindow": 4096 }, "gpt-4o": { "tokenizer": "estimate" } }""");
        try
        {
            var catalog = new ModelCatalog(MsOptions.Create(new LlmOptions { CatalogPath = path }));

            Assert.Equal((TokenEncodings.Cl100kBase, (int?)4096), (catalog.Get("my-model").Tokenizer, catalog.Get("my-model").ContextWindow));
            Assert.Null(catalog.Get("gpt-4o").Tokenizer);
        }
        finally { File.Delete(path); }
    }
}
