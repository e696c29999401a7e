using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Filters;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Approval requests (one per call, first answer wins) and "always in this chat" grants.</summary>
public abstract class ApprovalSuite : StoreSuite
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static ApprovalRequest Request(string id, string callKey, string task, DateTimeOffset created, string? user = "7", string? reason = "writes a file") => new()
    {
        Id = id,
        CallKey = callKey,
        TaskId = task,
        Address = new ChatAddress("telegram", "42", user),
        Tool = "files-write",
        Arguments = """{"path":"a.txt"}""",
        Reason = reason,
        CreatedAt = created,
        ExpiresAt = created.AddMinutes(10),
    };

    [SkippableFact]
    public async Task A_request_is_stored_once_per_call_and_read_back_whole_by_id_and_by_call()
    {
        var store = Stores.Approvals();
        var first = Request("ap1", "t1:1:c1", "t1", T0);
        Assert.Equal(first, await store.CreateAsync(first, default));
        Assert.Equal(first, await store.CreateAsync(Request("ap2", "t1:1:c1", "t1", T0.AddMinutes(1)), default));   // same call: the stored one
        var other = Request("ap3", "t1:1:c2", "t1", T0.AddMinutes(1), user: null, reason: null);
        Assert.Equal(other, await store.CreateAsync(other, default));

        Assert.Equal(first, await store.GetAsync("ap1", default));
        Assert.Null(await store.GetAsync("ap2", default));
        Assert.Equal(other, await store.FindByCallAsync("t1:1:c2", default));
        Assert.Null(await store.FindByCallAsync("nope", default));
        Assert.Equal(["ap1", "ap3"], (await store.ListPendingAsync(10, default)).Select(r => r.Id));
        Assert.Equal(["ap1"], (await store.ListPendingAsync(1, default)).Select(r => r.Id));
        Assert.Equal(2, await store.CountPendingAsync("t1", default));
        Assert.Equal(0, await store.CountPendingAsync("t2", default));
    }

    [SkippableFact]
    public async Task The_first_answer_wins_and_expiry_lists_only_pending_requests_that_are_due()
    {
        var store = Stores.Approvals();
        await store.CreateAsync(Request("ap1", "k1", "t1", T0), default);
        await store.CreateAsync(Request("ap2", "k2", "t1", T0.AddMinutes(5)), default);

        Assert.True(await store.ResolveAsync("ap1", ApprovalStatus.Approved, "alice", T0.AddMinutes(1), default));
        Assert.False(await store.ResolveAsync("ap1", ApprovalStatus.Denied, "bob", T0.AddMinutes(2), default));
        Assert.False(await store.ResolveAsync("missing", ApprovalStatus.Denied, "bob", T0, default));
        var decided = (await store.GetAsync("ap1", default))!;
        Assert.Equal((ApprovalStatus.Approved, "alice", T0.AddMinutes(1)), (decided.Status, decided.DecidedBy, decided.DecidedAt));

        Assert.Empty(await store.ListDueAsync(T0.AddMinutes(14), default));
        Assert.Equal(["ap2"], (await store.ListDueAsync(T0.AddMinutes(15), default)).Select(r => r.Id));
        Assert.True(await store.ResolveAsync("ap2", ApprovalStatus.Expired, null, T0.AddMinutes(15), default));
        Assert.Empty(await store.ListDueAsync(T0.AddHours(1), default));
        Assert.Empty(await store.ListPendingAsync(10, default));
        Assert.Null((await store.GetAsync("ap2", default))!.DecidedBy);
    }

    [SkippableFact]
    public async Task Grants_hold_until_their_time_are_renewed_by_a_new_grant_and_are_revoked_per_conversation()
    {
        var store = Stores.Approvals();
        await store.GrantAsync("telegram:42", "files-write", T0.AddHours(1), "alice", default);
        await store.GrantAsync("telegram:43", "files-write", T0.AddHours(1), "alice", default);

        Assert.True(await store.IsGrantedAsync("telegram:42", "files-write", T0, default));
        Assert.False(await store.IsGrantedAsync("telegram:42", "files-write", T0.AddHours(1), default));
        Assert.False(await store.IsGrantedAsync("telegram:42", "shell", T0, default));

        await store.GrantAsync("telegram:42", "files-write", T0.AddHours(2), "bob", default);
        Assert.True(await store.IsGrantedAsync("telegram:42", "files-write", T0.AddHours(1), default));

        Assert.Equal(1, await store.RevokeGrantsAsync("telegram:42", default));
        Assert.False(await store.IsGrantedAsync("telegram:42", "files-write", T0, default));
        Assert.True(await store.IsGrantedAsync("telegram:43", "files-write", T0, default));
        Assert.Equal(0, await store.RevokeGrantsAsync("telegram:42", default));
    }
}
