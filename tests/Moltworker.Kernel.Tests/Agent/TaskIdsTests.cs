using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tests.Agent;

public sealed class TaskIdsTests
{
    [Fact]
    public void New_ids_do_not_collide_within_one_second()
    {
        // Tasks are rows keyed by id; the old 16-bit suffix collided after a few hundred turns in one second.
        var ids = Enumerable.Range(0, 200_000).Select(_ => TaskIds.New()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_message_maps_to_the_same_task_every_time_and_chats_do_not_share()
    {
        var a = new ChatAddress("telegram", "1");
        Assert.Equal(TaskIds.For(a, "telegram:5"), TaskIds.For(a, "telegram:5"));
        Assert.NotEqual(TaskIds.For(a, "telegram:5"), TaskIds.For(new ChatAddress("telegram", "2"), "telegram:5"));
    }
}

public sealed class TaskIdFormTests
{
    private static readonly ChatAddress Chat = new("telegram", "1");

    [Fact]
    public void A_message_id_is_n_and_32_hex_digits_and_new_ids_keep_their_form()
    {
        Assert.Matches("^n[0-9a-f]{32}$", TaskIds.For(Chat, "telegram:5"));
        Assert.Matches("^t[0-9]{12}[0-9a-f]{16}$", TaskIds.New());
        // Pinned: the id must not change between versions, or a redelivered message would not find its task.
        Assert.Equal("n69a6a7ba2c17ee9fdee6d0577d2f642d", TaskIds.For(Chat, "telegram:5"));   // XxHash128 of "telegram:1\ntelegram:5"
    }

    [Fact]
    public void The_legacy_id_is_the_one_used_before_2026_12_and_never_equals_a_new_one()
    {
        var legacy = TaskIds.Legacy(Chat, "telegram:5");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("telegram:1\ntelegram:5"u8.ToArray()));
        Assert.Equal("m" + sha[..20], legacy);
        Assert.True(TaskIds.IsLegacy(legacy));
        Assert.False(TaskIds.IsLegacy(TaskIds.For(Chat, "telegram:5")));
        Assert.False(TaskIds.IsLegacy(TaskIds.New()));
        Assert.False(TaskIds.IsLegacy("m" + new string('g', 20)));
    }
}
