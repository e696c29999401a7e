using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>The kernel's DI registration: configuration keys → the whole model client pipeline over real HTTP.</summary>
public sealed class ModelAccessTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        services.AddLogging();
        services.AddMoltworkerKernel(config);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_a_model_there_is_no_client_and_the_hint_names_the_settings()
    {
        using var sp = Build([]);
        var access = sp.GetRequiredService<ModelAccess>();

        Assert.False(access.IsConfigured);
        Assert.Null(access.Client);
        Assert.Same(ModelInfo.None, access.Model);
        Assert.Contains("Moltworker__Llm__BaseUrl", ModelAccess.HowToConfigure);
    }

    [Fact]
    public async Task Configured_keys_reach_the_server_through_retries_and_fallbacks()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500), ScriptedReply.Error(500), ScriptedReply.Answer("from the fallback"));
        using var sp = Build(new()
        {
            ["Moltworker:Llm:BaseUrl"] = server.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "sk-from-config",
            ["Moltworker:Llm:Model"] = "gpt-4o",
            ["Moltworker:Llm:MaxRetries"] = "1",
        }, new FakeTimeProvider { AutoAdvance = true });
        var access = sp.GetRequiredService<ModelAccess>();

        var response = await access.Client!.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")]);

        Assert.True(access.IsConfigured);
        Assert.Equal(128_000, access.Model.ContextWindow);
        Assert.Equal("from the fallback", response.Text);
        Assert.Equal(["gpt-4o", "gpt-4o", "gpt-4o-mini"], server.Requests.Select(r => r.Model));
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-from-config", r.Authorization));
    }

    [Fact]
    public async Task Decorators_wrap_whichever_client_is_registered_the_first_registered_outermost()
    {
        var calls = new List<string>();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Moltworker:Llm:Model"] = "gpt-4o",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IChatClient>(new AnswerClient(calls));
        services.AddSingleton<IChatClientDecorator>(new Recording("outer", calls));
        services.AddMoltworkerKernel(config);
        services.AddSingleton<IChatClientDecorator>(new Recording("inner", calls));
        using var sp = services.BuildServiceProvider();

        var response = await sp.GetRequiredService<ModelAccess>().Client!.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")]);

        Assert.Equal("scripted", response.Text);
        Assert.Equal(["outer", "inner", "model"], calls);
        Assert.Same(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<ModelAccess>().Client);
    }

    private sealed class AnswerClient(List<string> calls) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            calls.Add("model");
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "scripted")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    private sealed class Recording(string name, List<string> calls) : IChatClientDecorator
    {
        public IChatClient Decorate(IChatClient inner) => new Layer(inner, name, calls);

        private sealed class Layer(IChatClient inner, string name, List<string> calls) : DelegatingChatClient(inner)
        {
            public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                calls.Add(name);
                return base.GetResponseAsync(messages, options, cancellationToken);
            }
        }
    }
}
