using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Http;
using Moltworker.Kernel.Options;
using OpenAI;

namespace Moltworker.Kernel.Models;

/// <summary>
/// The chat client of an OpenAI-compatible endpoint, entirely from libraries: the OpenAI SDK's <see cref="OpenAIClient"/>
/// over the given HttpClient (which carries the retries), and M.E.AI's adapter (<c>AsIChatClient()</c>) for messages,
/// tools, tool calls, streaming, usage and reasoning effort. The adapter sends <see cref="ChatOptions.ModelId"/> as the
/// request's model, so one client serves the configured model and its fallbacks.
/// </summary>
public static class OpenAIModelClient
{
    /// <summary>The SDK needs a credential; local servers without a key get this one and ignore it.</summary>
    public const string NoKey = "unused";

    /// <summary>The retries of the model's HttpClient (<see cref="ModelClientServiceCollectionExtensions"/>): 409 is
    /// transient, and a <c>Retry-After</c> beyond <see cref="LlmOptions.RetryMaxDelay"/> is not waited for.</summary>
    public static HttpRetrySettings RetrySettings(LlmOptions options) =>
        new(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, options.RequestTimeout)
        {
            ConflictIsTransient = true,
            LongestWait = options.RetryMaxDelay,
        };

    public static IChatClient Create(LlmOptions options, HttpClient http)
    {
        var clientOptions = new OpenAIClientOptions
        {
            // Retries belong to the HttpClient's resilience handler and the fallbacks to ResilientChatClient.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(http),
            // Spans the whole HttpClient call with its retries (and each read of a stream); attempts have their own timeout.
            NetworkTimeout = RetrySettings(options).WholeCallBudget,
        };
        if (!string.IsNullOrWhiteSpace(options.BaseUrl)) clientOptions.Endpoint = new Uri(options.BaseUrl);
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? NoKey : options.ApiKey;
        // Every request names its model (ResilientChatClient sets ChatOptions.ModelId); this one is the default.
        var model = string.IsNullOrWhiteSpace(options.Model) ? "(none)" : options.Model;
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetChatClient(model).AsIChatClient();
    }
}
