using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Transactions;

/// <summary>Replaces the values of secret-looking keys (<c>Moltworker:Transactions:RedactKeys</c>, <c>*</c> wildcards,
/// case-insensitive) by "[redacted]", at any depth of the arguments.</summary>
public sealed class Redactor
{
    public const string Mask = "[redacted]";
    private readonly Regex? _keys;

    public Redactor(IOptions<TransactionsOptions> options)
    {
        var patterns = options.Value.RedactKeys.Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => "^" + Regex.Escape(p.Trim()).Replace("\\*", ".*") + "$").ToList();
        _keys = patterns.Count == 0 ? null : new Regex(string.Join("|", patterns), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public bool IsSecret(string key) => _keys?.IsMatch(key) == true;

    /// <summary>The arguments as compact JSON with secrets masked.</summary>
    public string Arguments(AIFunctionArguments arguments)
    {
        var node = new JsonObject();
        foreach (var (key, value) in arguments)
            node[key] = IsSecret(key) ? Mask : Redact(JsonSerializer.SerializeToNode(value, ToolJson.Options));
        return node.ToJsonString(ToolJson.Options);
    }

    public JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                    obj[key] = IsSecret(key) ? Mask : Redact(child?.DeepClone());
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = Redact(array[i]?.DeepClone());
                return array;
            default:
                return node;
        }
    }
}
