namespace Moltworker.Testing.OpenAI;

/// <summary>
/// One tool call a scripted reply makes. <see cref="Arguments"/> is sent verbatim as the
/// <c>function.arguments</c> string, so it may be broken JSON on purpose.
/// </summary>
public sealed record ScriptedToolCall(string Name, string Arguments = "{}", string? Id = null)
{
    /// <summary>A call whose arguments are an object serialized to JSON.</summary>
    public static ScriptedToolCall Json(string name, object arguments, string? id = null) =>
        new(name, System.Text.Json.JsonSerializer.Serialize(arguments), id);
}
