using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Approvals;

/// <summary>
/// The buttons under a request (Approve, Deny, Always in this chat; one action row) and their <c>custom_id</c>,
/// <c>apv:&lt;id&gt;:y|n|a</c>. The id names the request and nothing else: who pressed comes from the interaction, and
/// whether they may decide, in which chat the request is and whether it is still open is all looked up on the server,
/// so an edited <c>custom_id</c> can at most point at another request, which its own checks then refuse.
/// </summary>
public static class ApprovalButtons
{
    private const string Prefix = "apv:";
    private const int ActionRow = 1;
    private const int Button = 2;
    private const int Secondary = 2;
    private const int Success = 3;
    private const int Danger = 4;

    public static JsonArray Components(string approvalId) =>
    [
        new JsonObject
        {
            ["type"] = ActionRow,
            ["components"] = new JsonArray(
                ButtonOf("Approve", Success, CustomId(approvalId, ApprovalChoice.Approve)),
                ButtonOf("Deny", Danger, CustomId(approvalId, ApprovalChoice.Deny)),
                ButtonOf("Always in this chat", Secondary, CustomId(approvalId, ApprovalChoice.Always))),
        },
    ];

    public static string CustomId(string approvalId, ApprovalChoice choice) => $"{Prefix}{approvalId}:{choice switch
    {
        ApprovalChoice.Approve => "y",
        ApprovalChoice.Deny => "n",
        _ => "a",
    }}";

    /// <summary>True when <paramref name="customId"/> is one of these buttons; false for anything else.</summary>
    public static bool TryParse(string? customId, [NotNullWhen(true)] out string? approvalId, out ApprovalChoice choice)
    {
        approvalId = null;
        choice = ApprovalChoice.Deny;
        if (customId is null || !customId.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = customId[Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0) return false;
        switch (parts[1])
        {
            case "y": choice = ApprovalChoice.Approve; break;
            case "n": choice = ApprovalChoice.Deny; break;
            case "a": choice = ApprovalChoice.Always; break;
            default: return false;
        }
        approvalId = parts[0];
        return true;
    }

    private static JsonObject ButtonOf(string label, int style, string customId) => new()
    {
        ["type"] = Button,
        ["style"] = style,
        ["label"] = label,
        ["custom_id"] = customId,
    };
}
