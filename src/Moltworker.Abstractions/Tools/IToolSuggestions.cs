namespace Moltworker.Abstractions;

/// <summary>
/// Implemented by a plugin class whose commands can suggest values for an option while the user types
/// (Discord autocomplete). Return at most 25 suggestions.
/// </summary>
public interface IToolSuggestions
{
    Task<IReadOnlyList<string>> SuggestAsync(string tool, string parameter, string prefix, CancellationToken cancellationToken);
}
