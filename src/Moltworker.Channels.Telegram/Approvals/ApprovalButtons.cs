using Telegram.Bot.Types.ReplyMarkups;

namespace Moltworker.Channels.Telegram.Approvals;

/// <summary>What a button under an approval request says.</summary>
public enum ApprovalChoice { Approve, Deny, Always }

/// <summary>The inline keyboard of a request (Approve, Deny, Always in this chat) and its callback data,
/// <c>apv:&lt;id&gt;:y|n|a</c> (well under Telegram's 64 bytes).</summary>
public static class ApprovalButtons
{
    private const string Prefix = "apv:";

    public static InlineKeyboardMarkup Keyboard(string approvalId) => new(
    [
        [
            InlineKeyboardButton.WithCallbackData("Approve", Data(approvalId, ApprovalChoice.Approve)),
            InlineKeyboardButton.WithCallbackData("Deny", Data(approvalId, ApprovalChoice.Deny)),
        ],
        [InlineKeyboardButton.WithCallbackData("Always in this chat", Data(approvalId, ApprovalChoice.Always))],
    ]);

    public static string Data(string approvalId, ApprovalChoice choice) => $"{Prefix}{approvalId}:{choice switch
    {
        ApprovalChoice.Approve => "y",
        ApprovalChoice.Deny => "n",
        _ => "a",
    }}";

    public static bool TryParse(string? data, out string approvalId, out ApprovalChoice choice)
    {
        approvalId = "";
        choice = ApprovalChoice.Deny;
        if (data is null || !data.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = data[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0) return false;
        choice = parts[1] switch { "y" => ApprovalChoice.Approve, "n" => ApprovalChoice.Deny, "a" => ApprovalChoice.Always, _ => (ApprovalChoice)(-1) };
        approvalId = parts[0];
        return Enum.IsDefined(choice);
    }
}
