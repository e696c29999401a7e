using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;

namespace Moltworker.Kernel.Tests.Commands;

public sealed class CommandTests
{
    private static readonly ChatAddress Chat = new("test", "c1", "u1");

    [Fact]
    public async Task Commands_run_their_tools_without_a_model()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin)], settings: new Dictionary<string, string?> { ["Moltworker:Plugins:Echo:Prefix"] = "said" });
        var chat = kernel.Get<IChatService>();

        var echo = await chat.HandleAsync(new IncomingMessage(Chat, "/echo hello there"), default);
        var add = await chat.HandleAsync(new IncomingMessage(Chat, "/add@moltbot a=2 b=40"), default);
        var positional = await chat.HandleAsync(new IncomingMessage(Chat, "/add 1 2"), default);

        Assert.Equal("said: hello there (cmd_echo)", echo.Text);
        Assert.Equal("42", add.Text);
        Assert.Equal("3", positional.Text);
    }

    [Fact]
    public async Task Help_lists_built_ins_and_tool_commands_and_free_text_says_no_model()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin)]);
        var chat = kernel.Get<IChatService>();

        var help = await chat.HandleAsync(new IncomingMessage(Chat, "/help"), default);
        var free = await chat.HandleAsync(new IncomingMessage(Chat, "what is the weather?"), default);

        foreach (var c in new[] { "/start", "/help", "/reset", "/status", "/plugins", "/echo", "/add" }) Assert.Contains(c, help.Text);
        Assert.True(free.IsError);
        Assert.Contains("No model is configured", free.Text);
        Assert.Contains("Moltworker__Llm__BaseUrl", free.Text);
    }

    [Fact]
    public async Task Unknown_commands_and_bad_arguments_get_clear_answers()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin)]);
        var chat = kernel.Get<IChatService>();

        var unknown = await chat.HandleAsync(new IncomingMessage(Chat, "/nope"), default);
        var badType = await chat.HandleAsync(new IncomingMessage(Chat, "/add a=x b=1"), default);

        Assert.True(unknown.IsError);
        Assert.Contains("Unknown command /nope", unknown.Text);
        Assert.Contains("/echo", unknown.Text);
        Assert.True(badType.IsError);
        Assert.Contains("argument 'a' must be of type integer", badType.Text);
    }

    [Fact]
    public async Task Structured_arguments_run_the_same_tool()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin)]);
        var reply = await kernel.Get<ICommandRunner>().RunAsync("add", new Dictionary<string, object?> { ["a"] = 5L, ["b"] = 6L }, Chat, default);
        Assert.Equal("11", reply.Text);
    }

    [Theory]
    [InlineData("", "{}")]
    [InlineData("hello world", """{"text":"hello world"}""")]
    [InlineData("text=\"quoted words\"", """{"text":"quoted words"}""")]
    [InlineData("""{"text":"json"}""", """{"text":"json"}""")]
    public void The_argument_parser_reads_positional_pairs_and_json(string rest, string expected)
    {
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""");
        var parsed = CommandArgumentParser.Parse(rest, schema.RootElement);
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(parsed));
    }

    [Theory]
    [InlineData("rust async runtimes", """{"query":"rust async runtimes"}""")]
    [InlineData("query=\"a b\" count=3", """{"query":"a b","count":3}""")]
    public void A_sole_required_string_takes_the_whole_line(string rest, string expected)
    {
        using var schema = System.Text.Json.JsonDocument.Parse(
            """{"type":"object","properties":{"query":{"type":"string"},"count":{"type":"integer"},"freshness":{"type":"string"}},"required":["query"]}""");
        var parsed = CommandArgumentParser.Parse(rest, schema.RootElement);
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(parsed));
    }
}
