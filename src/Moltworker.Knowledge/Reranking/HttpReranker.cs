using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moltworker.Knowledge.Reranking;

/// <summary>
/// The common <c>/rerank</c> wire format (Cohere, Jina, Voyage, text-embeddings-inference, llama.cpp, vLLM):
/// request <c>{model, query, documents: [string], top_n}</c>, response <c>{results: [{index, relevance_score}]}</c>.
/// The HttpClient's own timeout is not used: the caller's budget cancels the call.
/// </summary>
public sealed class HttpReranker(HttpClient http, RerankingOptions options) : IReranker
{
    public async Task<IReadOnlyList<(int Index, double Score)>> RerankAsync(string query, IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.BaseUrl!.TrimEnd('/') + "/rerank")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = options.Model,
                ["query"] = query,
                ["documents"] = new JsonArray(documents.Select(d => (JsonNode?)d).ToArray()),
                ["top_n"] = documents.Count,
            }),
        };
        if (!string.IsNullOrEmpty(options.ApiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new RerankException($"the reranker answered {(int)response.StatusCode} {response.ReasonPhrase}");
        try
        {
            var results = JsonNode.Parse(body)?["results"]?.AsArray() ?? throw new RerankException("the reranker's answer has no results");
            var list = results.Select(r => (Index: r!["index"]!.GetValue<int>(), Score: r["relevance_score"]!.GetValue<double>()))
                .Where(r => r.Index >= 0 && r.Index < documents.Count)
                .OrderByDescending(r => r.Score).ToList();
            return list;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new RerankException("the reranker's answer is not a rerank response", ex);
        }
    }
}
