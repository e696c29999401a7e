using System.Text.Json;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>Approval and delegation events reach the wire under the plan's names with their fields (they were merged
/// from separate branches: without these mappings they would be neither stored nor streamed).</summary>
public sealed class EventWireTests
{
    private static readonly ChatAddress Address = new("test", "c", "u");

    [Fact]
    public void Approval_events_have_their_wire_names_and_fields()
    {
        var requested = EventWire.Describe(new ApprovalRequested("t1", Address, "a1", "github_api", "{}", null, DateTimeOffset.UnixEpoch))!.Value;
        Assert.Equal(EventNames.ApprovalRequested, requested.Name);
        Assert.Equal("a1", JsonDocument.Parse(requested.Data).RootElement.GetProperty("approval_id").GetString());

        var resolved = EventWire.Describe(new ApprovalResolved("t1", Address, "a1", "github_api", ApprovalStatus.Denied, "u"))!.Value;
        Assert.Equal(EventNames.ApprovalResolved, resolved.Name);
        Assert.Equal("denied", JsonDocument.Parse(resolved.Data).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public void Delegation_events_carry_target_caller_thread_and_call()
    {
        var started = EventWire.Describe(new DelegationStarted("t1", Address, "researcher", "default", "th1", "call1"))!.Value;
        Assert.Equal(EventNames.PoDelegationStarted, started.Name);
        var data = JsonDocument.Parse(started.Data).RootElement;
        Assert.Equal(("researcher", "default", "th1", "call1"),
            (data.GetProperty("target").GetString(), data.GetProperty("caller").GetString(), data.GetProperty("thread_id").GetString(), data.GetProperty("tool_call_id").GetString()));
        Assert.Equal(EventNames.PoDelegationCompleted, EventWire.Describe(new DelegationCompleted("t1", Address, "researcher", "default", "th1", "call1"))!.Value.Name);
    }
}
