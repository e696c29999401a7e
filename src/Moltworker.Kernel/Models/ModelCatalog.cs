using System.Text.Json;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Model capabilities and prices: the built-in <c>models.json</c>, merged with the file named by
/// <c>Moltworker:Llm:CatalogPath</c> when set (entries there win). Unknown models get conservative defaults
/// (tools on, no parallel calls).
/// </summary>
public sealed class ModelCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly Dictionary<string, ModelInfo> _models;

    public ModelCatalog(IOptions<LlmOptions> options)
    {
        _models = Load(typeof(ModelCatalog).Assembly.GetManifestResourceStream("Moltworker.Kernel.Models.models.json")!);
        var path = options.Value.CatalogPath;
        if (!string.IsNullOrWhiteSpace(path))
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"Model catalog '{path}' (Moltworker:Llm:CatalogPath) does not exist.");
            using var file = File.OpenRead(path);
            foreach (var (id, info) in Load(file)) _models[id] = info;
        }
    }

    public ModelCatalog(IEnumerable<ModelInfo> models) => _models = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<ModelInfo> All => _models.Values;

    public ModelInfo Get(string id) => _models.TryGetValue(id, out var info) ? info : ModelInfo.Unknown(id);

    /// <summary>The catalog's entry, when it has one.</summary>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ModelInfo info) => _models.TryGetValue(id, out info);

    private static Dictionary<string, ModelInfo> Load(Stream stream)
    {
        var raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stream, Json)
            ?? throw new InvalidOperationException("The model catalog is empty.");
        var result = new Dictionary<string, ModelInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, element) in raw)
        {
            var entry = element.Deserialize<CatalogEntry>(Json) ?? new CatalogEntry();
            result[id] = new ModelInfo
            {
                Id = id,
                Tools = entry.Tools ?? true,
                ParallelCalls = entry.ParallelCalls ?? false,
                ContextWindow = entry.ContextWindow ?? 8_192,
                ReasoningEffort = entry.ReasoningEffort,
                InputPricePerMillion = entry.InputPricePerMillion ?? 0,
                OutputPricePerMillion = entry.OutputPricePerMillion ?? 0,
                Fallbacks = entry.Fallbacks ?? [],
            };
        }
        return result;
    }

    private sealed record CatalogEntry(bool? Tools = null, bool? ParallelCalls = null, int? ContextWindow = null, string? ReasoningEffort = null,
        decimal? InputPricePerMillion = null, decimal? OutputPricePerMillion = null, string[]? Fallbacks = null);
}
