using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;
using Moltworker.Channels.Discord.Commands;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>Suggestions for the option being typed: from a long enum, or from the tool's <see cref="IToolSuggestions"/>.</summary>
public sealed partial class AutocompleteResponder(TimeProvider time, ILogger<AutocompleteResponder> logger)
{
    public const int MaxChoices = 25;

    /// <summary>Discord waits 3 seconds for autocomplete; a slow suggester gets less than that.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<string>> SuggestAsync(SlashCommand command, Interaction interaction, CancellationToken cancellationToken)
    {
        var focused = interaction.Options.FirstOrDefault(o => o.Focused);
        if (focused is null || command.Option(focused.Name) is not { } option) return [];
        var prefix = focused.Value.ValueKind == JsonValueKind.String ? focused.Value.GetString() ?? "" : focused.Value.ValueKind == JsonValueKind.Undefined ? "" : focused.Value.GetRawText();

        if (option.EnumValues.Count > 0)
            return option.EnumValues.Where(v => v.Contains(prefix, StringComparison.OrdinalIgnoreCase)).Take(MaxChoices).ToList();

        if (command.Tool is not { } tool || ToolMetadata.Of(tool).Suggestions is not { } suggestions) return [];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Budget);
        try
        {
            var list = await suggestions.SuggestAsync(tool.Name, option.Parameter, prefix, cts.Token).WaitAsync(Budget, time, cancellationToken);
            return list.Where(s => !string.IsNullOrEmpty(s)).Take(MaxChoices).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSuggestFailed(ex, command.Name, option.Name);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Autocomplete for /{Command} {Option} failed")]
    private partial void LogSuggestFailed(Exception ex, string command, string option);
}
