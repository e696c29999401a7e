using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Model capabilities and prices: the built-in <c>models.json</c>, merged with the file named by
/// <c>Moltworker:Llm:CatalogPath</c> when set. The override merges field by field: an entry there changes only the
/// fields it names (a new id starts from the defaults); <c>"reasoningEffort": "none"</c> clears an effort.
/// Unknown models get conservative defaults (tools on, no parallel calls, no images, no price; no context window and no
/// tokenizer, so <c>Moltworker:Context:DefaultContextWindow</c> and the token estimate stand in). A tokenizer the
/// catalog names must be one of <see cref="Context.TokenEncodings.Names"/>.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ModelInfo> _models = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog(IOptions<LlmOptions> options)
    {
        using (var builtIn = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Moltworker.Kernel.Models.models.json")!)
            Merge(builtIn, "the built-in models.json");
        var path = options.Value.CatalogPath;
        if (string.IsNullOrWhiteSpace(path)) return;
        FileStream file;
        try { file = File.OpenRead(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read ({ex.Message})";
            throw new ModelConfigurationException($"The model catalog '{Path.GetFullPath(path)}' (Moltworker:Llm:CatalogPath) {why}.", ex);
        }
        using (file) Merge(file, $"the model catalog '{path}' (Moltworker:Llm:CatalogPath)");
    }

    /// <summary>A catalog of exactly these models (tests, tools). Not IEnumerable, so DI never picks this constructor.</summary>
    public ModelCatalog(IReadOnlyList<ModelInfo> models)
    {
        foreach (var m in models) _models[m.Id] = m;
    }

    public ModelInfo Get(string id) => _models.TryGetValue(id, out var info) ? info : ModelInfo.Unknown(id);

    /// <summary>The catalog's entry, when it has one.</summary>
    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ModelInfo info) => _models.TryGetValue(id, out info);

    private void Merge(Stream stream, string source)
    {
        Dictionary<string, CatalogEntry?>? entries;
        try
        {
            entries = JsonSerializer.Deserialize(stream, ModelCatalogJson.Default.DictionaryStringCatalogEntry);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigurationException($"Cannot read {source}: {ex.Message}", ex);
        }
        foreach (var (id, entry) in entries ?? [])
        {
            if (!Context.TokenEncodings.IsKnown(entry?.Tokenizer))
                throw new ModelConfigurationException(
                    $"Cannot read {source}: model '{id}' names the tokenizer '{entry!.Tokenizer}'; use one of {string.Join(", ", Context.TokenEncodings.Names)}.");
            if (entry?.ContextWindow is <= 0)
                throw new ModelConfigurationException($"Cannot read {source}: model '{id}' has a context window of {entry.ContextWindow} tokens; it must be positive.");
            var current = _models.TryGetValue(id, out var known) ? known : ModelInfo.Unknown(id);
            if (entry is null) { _models[id] = current; continue; }
            _models[id] = current with
            {
                Tools = entry.Tools ?? current.Tools,
                ParallelCalls = entry.ParallelCalls ?? current.ParallelCalls,
                ContextWindow = entry.ContextWindow ?? current.ContextWindow,
                Tokenizer = entry.Tokenizer switch
                {
                    null => current.Tokenizer,
                    var name when name.Trim().Equals(Context.TokenEncodings.Estimate, StringComparison.OrdinalIgnoreCase) || name.Trim().Length == 0 => null,
                    var name => name.Trim().ToLowerInvariant(),
                },
                Images = entry.Images ?? current.Images,
                ReasoningEffort = entry.ReasoningEffort switch
                {
                    null => current.ReasoningEffort,
                    "" or "none" => null,
                    var effort => effort,
                },
                InputPricePerMillion = entry.InputPricePerMillion ?? current.InputPricePerMillion,
                OutputPricePerMillion = entry.OutputPricePerMillion ?? current.OutputPricePerMillion,
                Fallbacks = entry.Fallbacks ?? current.Fallbacks,
            };
        }
    }

    internal sealed record CatalogEntry(bool? Tools = null, bool? ParallelCalls = null, int? ContextWindow = null, bool? Images = null, string? ReasoningEffort = null,
        decimal? InputPricePerMillion = null, decimal? OutputPricePerMillion = null, string[]? Fallbacks = null, string? Tokenizer = null);
}

/// <summary>The catalog's JSON, read by generated code: by reflection the first read cost about 70–90 ms of the host's start.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(Dictionary<string, ModelCatalog.CatalogEntry?>))]
internal sealed partial class ModelCatalogJson : JsonSerializerContext;
