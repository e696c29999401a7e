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
}
