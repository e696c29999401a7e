namespace Moltworker.Kernel.Memory;

/// <summary>
/// Where memories live (the storage provider's <c>memories</c> table). Every method takes the owner's key and filters
/// by it in the query itself, so no call can read, count or delete another user's memories.
/// </summary>
public interface IMemoryStore
{
    /// <summary>Stores <paramref name="memory"/> unless its owner already has <paramref name="maxPerUser"/> memories
    /// (false then, nothing stored).</summary>
    Task<bool> AddAsync(UserMemory memory, int maxPerUser, CancellationToken cancellationToken);

    /// <summary>The user's memories, oldest first, with their embeddings when <paramref name="withEmbeddings"/>.</summary>
    Task<IReadOnlyList<UserMemory>> ListAsync(string user, bool withEmbeddings, CancellationToken cancellationToken);

    /// <summary>Deletes the user's memory <paramref name="id"/>; false when the user has none with that id.</summary>
    Task<bool> RemoveAsync(string user, string id, CancellationToken cancellationToken);

    /// <summary>Deletes all of the user's memories; how many there were.</summary>
    Task<int> ClearAsync(string user, CancellationToken cancellationToken);
}
