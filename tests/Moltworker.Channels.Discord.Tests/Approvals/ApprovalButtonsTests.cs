using Moltworker.Channels.Discord.Approvals;
using Moltworker.Channels.Discord.Interactions;

namespace Moltworker.Channels.Discord.Tests.Approvals;

/// <summary>The buttons' custom_id carries only the request id and the choice, and a press without one is not an interaction.</summary>
public sealed class ApprovalButtonsTests
{
    [Theory]
    [InlineData(ApprovalChoice.Approve)]
    [InlineData(ApprovalChoice.Deny)]
    [InlineData(ApprovalChoice.Always)]
    public void A_custom_id_reads_back_as_its_request_and_choice(ApprovalChoice choice)
    {
        var customId = ApprovalButtons.CustomId("0123abcd4567ef89", choice);
        Assert.True(customId.Length <= 100);
        Assert.True(ApprovalButtons.TryParse(customId, out var id, out var read));
        Assert.Equal("0123abcd4567ef89", id);
        Assert.Equal(choice, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("apv:")]
    [InlineData("apv::y")]
    [InlineData("apv:abc:q")]
    [InlineData("apv:abc:y:extra")]
    [InlineData("other:abc:y")]
    public void Anything_else_is_not_an_approval_button(string? customId) =>
        Assert.False(ApprovalButtons.TryParse(customId, out _, out _));

    [Fact]
    public void A_component_interaction_needs_a_custom_id_and_a_user()
    {
        Assert.False(Interaction.TryParse("""{"id":"1","type":3,"token":"t","channel_id":"c","user":{"id":"u"},"data":{}}""", out _, out var noId));
        Assert.Contains("custom_id", noId, StringComparison.Ordinal);
        Assert.False(Interaction.TryParse("""{"id":"1","type":3,"token":"t","channel_id":"c","data":{"custom_id":"apv:a:y"}}""", out _, out var noUser));
        Assert.Contains("user", noUser, StringComparison.Ordinal);
        Assert.True(Interaction.TryParse("""{"id":"1","type":3,"token":"t","channel_id":"c","member":{"user":{"id":"u"}},"message":{"id":"m9"},"data":{"custom_id":"apv:a:y"}}""",
            out var press, out _));
        Assert.Equal(("apv:a:y", "m9", "u"), (press.CustomId, press.MessageId, press.UserId));
    }
}
