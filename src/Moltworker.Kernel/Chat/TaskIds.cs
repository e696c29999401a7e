using System.Security.Cryptography;
using System.Text;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Ids;

namespace Moltworker.Kernel.Chat;

/// <summary>Task ids: durable-row keys, so they must never collide, even at thousands of turns a second.</summary>
public static class TaskIds
{
    /// <summary>A new id: the UTC second (for humans scanning `tasks list`) and 64 random bits.</summary>
    public static string New() => $"t{DateTime.UtcNow:yyMMddHHmmss}{RandomHex.Of(8)}";

    /// <summary>The task id of a channel message with a stable id: the same message always maps to the same task.
    /// "n" and the <see cref="ContentHash"/> (XxHash128) of the chat and the message id. Until 2026-12 it was
    /// <see cref="Legacy"/>, whose prefix is another letter, so the two never name the same task.</summary>
    public static string For(ChatAddress address, string messageId) => "n" + ContentHash.Hex(Key(address, messageId));

    /// <summary>The id <see cref="For"/> gave the same message before 2026-12: "m" and the first 20 hex digits of the
    /// SHA-256. Computed only where a store still holds such a task (<see cref="LegacyTaskIds"/>): SHA-256 loads OpenSSL.</summary>
    public static string Legacy(ChatAddress address, string messageId) =>
        "m" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key(address, messageId))))[..20];

    /// <summary>Whether <paramref name="taskId"/> has the form of a <see cref="Legacy"/> id.</summary>
    public static bool IsLegacy(string taskId) =>
        taskId.Length == 21 && taskId[0] == 'm' && !taskId.AsSpan(1).ContainsAnyExcept("0123456789abcdef");

    private static string Key(ChatAddress address, string messageId) => $"{address.ConversationKey}\n{messageId}";
}
