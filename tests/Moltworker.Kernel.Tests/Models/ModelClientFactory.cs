using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Testing.OpenAI;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>Builds the real model client pipeline (the kernel's own registration: the named HttpClient with its
/// retries, the OpenAI SDK and M.E.AI's adapter, the tool-call repair, fallbacks) pointed at a <see cref="FakeOpenAIServer"/>.</summary>
internal static class ModelClientFactory
{
    /// <summary>No retries unless a test asks for them.</summary>
    public static LlmOptions Options(FakeOpenAIServer server, string model = "test-model") => new()
    {
        BaseUrl = server.BaseUrl,
        ApiKey = "sk-test-key",
        Model = model,
        MaxRetries = 0,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>The client and the container it lives in, disposed together.</summary>
    public static IChatClient Build(LlmOptions options, ModelCatalog? catalog = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(MsOptions.Create(options));
        services.AddSingleton(catalog ?? new ModelCatalog(MsOptions.Create(options)));
        services.AddModelClient();
        var provider = services.BuildServiceProvider();
        return new Owned(provider.GetRequiredService<IChatClient>(), provider);
    }

    private sealed class Owned(IChatClient inner, ServiceProvider provider) : DelegatingChatClient(inner)
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing) provider.Dispose();
            base.Dispose(disposing);
        }
    }
}
