using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Approvals;

/// <summary><c>/approvals reset</c>: revokes every "Always in this chat" of this chat, so its tools ask again.</summary>
public sealed class ApprovalsCommand(IApprovalStore store) : IBuiltInCommand
{
    public string Name => "approvals";
    public string Description => "approvals reset: tools approved \"always in this chat\" ask again";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        if (!string.Equals(rest.Trim(), "reset", StringComparison.OrdinalIgnoreCase))
            return new ChatReply("Use /approvals reset to make the tools approved \"always in this chat\" ask again.", IsError: true);
        var revoked = await store.RevokeGrantsAsync(address.ConversationKey, cancellationToken);
        return new ChatReply(revoked == 0
            ? "No tool is approved \"always\" in this chat."
            : $"Done: {revoked} tool(s) approved \"always in this chat\" will ask again.");
    }
}
