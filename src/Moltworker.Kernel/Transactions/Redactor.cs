using System.Runtime.CompilerServices;
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
    private readonly ConditionalWeakTable<AIFunctionArguments, string> _redacted = new();

    public Redactor(IOptions<TransactionsOptions> options)
    {
        var patterns = options.Value.RedactKeys.Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => "^" + Regex.Escape(p.Trim()).Replace("\\*", ".*") + "$").ToList();
        _keys = patterns.Count == 0 ? null : new Regex(string.Join("|", patterns), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public bool IsSecret(string key) => _keys?.IsMatch(key) == true;

    /// <summary>The arguments as compact JSON with secrets masked. Computed once per arguments object: the journal and
    /// the transaction log (once per attempt) both record the same call.</summary>
    public string Arguments(AIFunctionArguments arguments) => _redacted.GetValue(arguments, Render);

    private string Render(AIFunctionArguments arguments)
    {
        var node = new JsonObject();
        foreach (var (key, value) in arguments)
            node[key] = IsSecret(key) ? Mask : Redact(JsonSerializer.SerializeToNode(value, ToolJson.Options));
        return node.ToJsonString(ToolJson.Options);
    }

    /// <summary>Masks secret-looking keys at any depth, in place (the node is a fresh serialization).</summary>
    private JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecret(key)) obj[key] = Mask;
                    else Redact(obj[key]);
                }
                return obj;
            case JsonArray array:
                foreach (var child in array) Redact(child);
                return array;
            default:
                return node;
        }
    }
}
