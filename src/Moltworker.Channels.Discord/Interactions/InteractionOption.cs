using System.Text.Json;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>An option value as the user gave it (<see cref="Focused"/> marks the one being typed in autocomplete).</summary>
public sealed record InteractionOption(string Name, int Type, JsonElement Value, bool Focused);
