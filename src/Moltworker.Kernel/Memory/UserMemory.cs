namespace Moltworker.Kernel.Memory;

/// <summary>One thing remembered about a user: a fact or a preference, in the user's or the model's words.
/// <see cref="User"/> is the owner's key (<see cref="MemoryUser"/>); <see cref="Embedding"/> is the text's unit-length
/// vector when an embedding model was configured as it was stored, else null.</summary>
public sealed record UserMemory(string Id, string User, string Text, DateTimeOffset CreatedAt)
{
    public float[]? Embedding { get; init; }
}
