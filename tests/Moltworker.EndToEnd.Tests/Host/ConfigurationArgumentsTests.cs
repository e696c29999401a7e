using Moltworker.Host.Cli;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>How the command line's settings are told apart from the verbs' own options and arguments.</summary>
public sealed class ConfigurationArgumentsTests
{
    [Fact]
    public void Settings_in_either_form_are_taken_out_and_double_underscores_become_colons()
    {
        var (arguments, settings) = ConfigurationArguments.Split(
            ["ask", "--Moltworker:Llm:Model", "gpt-4o", "hello", "--Moltworker__Llm__BaseUrl", "http://127.0.0.1:1/v1", "--Moltworker__Llm__ApiKey=sk-x"]);

        Assert.Equal(["ask", "hello"], arguments);
        Assert.Equal(["--Moltworker:Llm:Model=gpt-4o", "--Moltworker:Llm:BaseUrl=http://127.0.0.1:1/v1", "--Moltworker:Llm:ApiKey=sk-x"], settings);
    }

    [Theory]
    [InlineData("ask", "--chat", "c1", "hello")]
    [InlineData("search", "query", "--top", "3", "--json", "--tag", "a:b", "--source", "docs/x.md")]
    [InlineData("ingest", "docs", "--prune", "--force", "--tag", "team")]
    [InlineData("run", "--urls", "http://127.0.0.1:5080")]
    [InlineData("transactions", "--since", "2026-11-21T10:00Z", "--limit", "5")]
    [InlineData("ask", "--", "--Moltworker:Llm:Model", "is this text?")]
    public void The_verbs_own_options_and_arguments_are_left_alone(params string[] args)
    {
        var (arguments, settings) = ConfigurationArguments.Split(args);

        Assert.Equal(args, arguments);
        Assert.Empty(settings);
    }

    [Fact]
    public void An_empty_value_given_with_equals_is_kept() =>
        Assert.Equal(["--Moltworker:Llm:ApiKey="], ConfigurationArguments.Split(["ask", "hi", "--Moltworker:Llm:ApiKey="]).Settings);

    [Theory]
    [InlineData("ask", "hi", "--Moltworker:Llm:Model")]
    [InlineData("search", "q", "--Moltworker:Knowledge:DefaultTop", "--json")]
    public void A_setting_without_a_value_is_a_usage_error(params string[] args)
    {
        var ex = Assert.Throws<CliUsageException>(() => ConfigurationArguments.Split(args));
        Assert.Contains("needs a value", ex.Message);
    }
}
