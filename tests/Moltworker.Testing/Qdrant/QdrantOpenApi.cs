using System.Text.Json;
using System.Text.RegularExpressions;

namespace Moltworker.Testing.Qdrant;

/// <summary>
/// Qdrant's own OpenAPI document (<c>shared/qdrant-openapi.json</c>, found by walking up from the test's base
/// directory) with its operations indexed by method and path template, and a validator for its schemas.
/// </summary>
public sealed class QdrantOpenApi
{
    private static readonly Lazy<QdrantOpenApi> Shared = new(() => Load(Locate()));

    private QdrantOpenApi(JsonDocument document)
    {
        Root = document.RootElement;
        Validator = new OpenApiSchemaValidator(Root);
        foreach (var path in Root.GetProperty("paths").EnumerateObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{(\w+)}", "(?<$1>[^/]+)") + "$";
            foreach (var method in path.Value.EnumerateObject())
            {
                if (method.Name is "get" or "put" or "post" or "delete" or "patch")
                    Operations.Add(new QdrantOperation(method.Name.ToUpperInvariant(), path.Name, new Regex(pattern, RegexOptions.CultureInvariant), method.Value));
            }
        }
    }

    public static QdrantOpenApi Instance => Shared.Value;

    public JsonElement Root { get; }

    public OpenApiSchemaValidator Validator { get; }

    public List<QdrantOperation> Operations { get; } = [];

    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "qdrant-openapi.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("shared/qdrant-openapi.json was not found in any folder above " + AppContext.BaseDirectory);
    }

    public static QdrantOpenApi Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)));

    /// <summary>The operation for a method and request path, with its path parameters.</summary>
    public (QdrantOperation Operation, Dictionary<string, string> Parameters)? Match(string method, string path)
    {
        foreach (var operation in Operations)
        {
            if (operation.Method != method) continue;
            var match = operation.Pattern.Match(path);
            if (!match.Success) continue;
            var parameters = operation.Pattern.GetGroupNames().Where(g => !int.TryParse(g, out _))
                .ToDictionary(g => g, g => Uri.UnescapeDataString(match.Groups[g].Value));
            return (operation, parameters);
        }
        return null;
    }

    /// <summary>Schema of a component (e.g. "QueryRequest").</summary>
    public JsonElement Schema(string name) => Root.GetProperty("components").GetProperty("schemas").GetProperty(name);
}
