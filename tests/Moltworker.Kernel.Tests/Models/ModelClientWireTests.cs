using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Models;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>The model client (OpenAI SDK + M.E.AI's adapter + the tool-call repair), non-streaming, over real HTTP against the fake server.</summary>
public sealed class ModelClientWireTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")];

    [Fact]
    public async Task Plain_answer_comes_back_with_usage_and_the_request_is_recorded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("Hello there.") with { PromptTokens = 11, CompletionTokens = 3 });
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var response = await client.GetResponseAsync(Hello);

        Assert.Equal("Hello there.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("chatcmpl-fake0", response.ResponseId);
        Assert.Equal("test-model", response.ModelId);
        Assert.Equal(11, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(14, response.Usage?.TotalTokenCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("test-model", request.Model);
        Assert.False(request.Stream);
        Assert.Equal("Bearer sk-test-key", request.Authorization);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal(["Be brief.", "Hi"], request.Messages.Select(m => m.Content));
        Assert.Null(request.ReasoningEffort);
    }

    [Fact]
    public async Task Several_tool_calls_in_one_response_keep_ids_names_order_and_parsed_arguments()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(
            new ScriptedToolCall("weather", """{"city":"Oslo","days":3}""", "call_a"),
            new ScriptedToolCall("time_now", "{}", "call_b"),
            new ScriptedToolCall("weather", """{"city":"Bergen"}""", "call_c")));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));
        var tools = new ChatOptions
        {
            Tools =
            [
                AIFunctionFactory.Create((string city, int days) => $"{city}:{days}", "weather", "Weather for a city"),
                AIFunctionFactory.Create(() => "noon", "time_now", "The current time"),
            ],
        };

        var response = await client.GetResponseAsync(Hello, tools);

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b", "call_c"], calls.Select(c => c.CallId));
        Assert.Equal(["weather", "time_now", "weather"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.Equal("Oslo", calls[0].Arguments!["city"]?.ToString());
        Assert.Equal(3, ((JsonElement)calls[0].Arguments!["days"]!).GetInt32());
        Assert.Empty(calls[1].Arguments!);
        Assert.Equal("Bergen", calls[2].Arguments!["city"]?.ToString());

        var request = Assert.Single(server.Requests);
        Assert.Equal(["weather", "time_now"], request.ToolNames);
        var schema = JsonDocument.Parse(request.Tools[0].Parameters!).RootElement;
        Assert.True(schema.GetProperty("properties").TryGetProperty("city", out _));
        Assert.Equal("Weather for a city", request.Tools[0].Description);
    }

    [Fact]
    public async Task Tool_call_history_goes_back_to_the_server_as_assistant_tool_calls_and_tool_messages()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("Done."));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Weather in Oslo and the time?"),
            new(ChatRole.Assistant, [
                new FunctionCallContent("call_1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" }),
                new FunctionCallContent("call_2", "time_now", new Dictionary<string, object?>()),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "rain"), new FunctionResultContent("call_2", new { hour = 12 })]),
        ];

        await client.GetResponseAsync(history);

        var messages = Assert.Single(server.Requests).Messages;
        Assert.Equal(["user", "assistant", "tool", "tool"], messages.Select(m => m.Role));
        Assert.Equal(["call_1", "call_2"], messages[1].ToolCalls.Select(c => c.Id));
        // M.E.AI writes the arguments indented; the same JSON.
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""{"city":"Oslo"}"""),
            System.Text.Json.Nodes.JsonNode.Parse(messages[1].ToolCalls[0].Arguments!)), messages[1].ToolCalls[0].Arguments);
        Assert.Equal(("call_1", "rain"), (messages[2].ToolCallId, messages[2].Content));
        Assert.Equal(("call_2", """{"hour":12}"""), (messages[3].ToolCallId, messages[3].Content));
    }

    [Fact]
    public async Task Arguments_that_are_not_json_set_the_exception_on_the_call_instead_of_throwing()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(new ScriptedToolCall("weather", "{\"city\": \"Oslo", "call_bad"), new ScriptedToolCall("time_now", "{}", "call_ok")));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var response = await client.GetResponseAsync(Hello);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.NotNull(calls[0].Exception);
        Assert.Equal("call_bad", calls[0].CallId);
        Assert.Equal("{\"city\": \"Oslo", calls[0].AdditionalProperties?["raw_arguments"]);
        Assert.Null(calls[1].Exception);
    }

    [Fact]
    public async Task A_broken_call_goes_back_in_the_history_as_an_empty_object_beside_its_error_result()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Calls(new ScriptedToolCall("weather", "city=Oslo", "call_bad")), ScriptedReply.Answer("Sorry."));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var first = await client.GetResponseAsync(Hello);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotNull(call.Exception);
        await client.GetResponseAsync([.. Hello, .. first.Messages, new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_bad", "error: not JSON")])]);

        var sent = server.Requests[1].Messages;
        Assert.Equal("{}", sent[2].ToolCalls.Single().Arguments);
        Assert.Equal(("call_bad", "error: not JSON"), (sent[3].ToolCallId, sent[3].Content));
    }

    [Fact]
    public async Task Without_an_api_key_a_placeholder_bearer_goes_to_the_local_server()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("local"));
        var options = ModelClientFactory.Options(server);
        options.ApiKey = null;
        using var client = ModelClientFactory.Build(options);

        Assert.Equal("local", (await client.GetResponseAsync(Hello)).Text);
        Assert.Equal("Bearer " + OpenAIModelClient.NoKey, Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Reasoning_effort_is_sent_when_configured()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("a"), ScriptedReply.Answer("b"));
        var options = ModelClientFactory.Options(server);
        options.ReasoningEffort = "high";
        using var client = ModelClientFactory.Build(options);

        await client.GetResponseAsync(Hello);
        await client.GetResponseAsync(Hello, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } });

        Assert.Equal(["high", "low"], server.Requests.Select(r => r.ReasoningEffort));
    }

    [Fact]
    public async Task An_effort_the_library_has_no_value_for_still_reaches_the_wire()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("a"));
        var options = ModelClientFactory.Options(server);
        options.ReasoningEffort = "minimal";
        using var client = ModelClientFactory.Build(options);

        await client.GetResponseAsync(Hello);

        Assert.Equal("minimal", Assert.Single(server.Requests).ReasoningEffort);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refused_credentials_give_a_configuration_error_naming_the_api_key_setting(int status)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(status));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(() => client.GetResponseAsync(Hello));

        Assert.Contains("Moltworker:Llm:ApiKey", ex.Message);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.DoesNotContain("sk-test-key", ex.Message);
    }

    [Fact]
    public async Task A_key_the_endpoint_echoes_back_is_masked_in_the_error()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(401, ScriptedReply.ErrorJson("Incorrect API key provided: sk-test-key.", code: "invalid_api_key")));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(() => client.GetResponseAsync(Hello));

        Assert.DoesNotContain("sk-test-key", ex.ToString());
        Assert.Contains("Incorrect API key provided: ***.", ex.Message);
    }

    [Fact]
    public async Task Unknown_model_gives_a_configuration_error_naming_the_model_setting()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(404));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(() => client.GetResponseAsync(Hello));

        Assert.Contains("Moltworker:Llm:Model", ex.Message);
    }

    [Fact]
    public async Task Without_retries_or_fallbacks_a_server_error_says_the_model_is_unavailable_with_the_status()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.RateLimited(7), ScriptedReply.Error(503));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var limited = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));
        var down = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.Contains("429", limited.Message);
        Assert.Contains("503", down.Message);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_wrong_key_against_a_server_that_checks_it_is_a_configuration_error()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ApiKey = "sk-the-right-one";
        server.Responder = _ => ScriptedReply.Answer("never");
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));

        var ex = await Assert.ThrowsAsync<ModelConfigurationException>(() => client.GetResponseAsync(Hello));

        Assert.Contains("Moltworker:Llm:ApiKey", ex.Message);
        Assert.Contains("invalid_api_key", ex.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_fake_server_lists_models_like_the_real_api()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Models = ["gpt-4o", "gpt-4o-mini"];
        using var http = new HttpClient();

        using var doc = JsonDocument.Parse(await http.GetStringAsync(server.BaseUrl + "/models"));

        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(1, server.ModelListRequests);
    }

    [Fact]
    public async Task Disposing_the_server_ends_a_request_held_on_a_signal_that_never_comes()
    {
        var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Answer("never").After(new TaskCompletionSource().Task));
        using var client = ModelClientFactory.Build(ModelClientFactory.Options(server));
        var call = client.GetResponseAsync(Hello);
        await server.WaitForRequestsAsync(1);

        var dispose = server.DisposeAsync().AsTask();

        await Assert.ThrowsAnyAsync<Exception>(() => call);
        await dispose.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
