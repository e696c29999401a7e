using System.Security.Cryptography;
using System.Text;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Chat;

/// <summary>Task ids: durable-row keys, so they must never collide, even at thousands of turns a second.</summary>
public static class TaskIds
{
    /// <summary>A new id: the UTC second (for humans scanning `tasks list`) and 64 random bits.</summary>
    public static string New() => $"t{DateTime.UtcNow:yyMMddHHmmss}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>The task id of a channel message with a stable id: the same message always maps to the same task.</summary>
    public static string For(ChatAddress address, string messageId) =>
        "m" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{address.ConversationKey}\n{messageId}")))[..20];
}
