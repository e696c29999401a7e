using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.Models;

/// <summary>Builds the real model client pipeline pointed at a <see cref="FakeOpenAIServer"/>.</summary>
internal static class ModelClientFactory
{
    public static LlmOptions Options(FakeOpenAIServer server, string model = "test-model") => new()
    {
        BaseUrl = server.BaseUrl,
        ApiKey = "sk-test-key",
        Model = model,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static OpenAIChatClient Raw(LlmOptions options, ModelCatalog? catalog = null, TimeProvider? time = null) => new(options, new HttpClient(), catalog, time);

    public static ResilientChatClient Resilient(LlmOptions options, ModelCatalog catalog, TimeProvider time) =>
        new(Raw(options, catalog, time), options, catalog, time, NullLogger<ResilientChatClient>.Instance);
}
