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
