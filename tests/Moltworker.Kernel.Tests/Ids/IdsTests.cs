using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Ids;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Kernel.Tests.Ids;

public sealed class ContentHashTests
{
    [Fact]
    public void It_is_XxHash128_in_lower_case_hex_the_same_for_text_bytes_and_streams()
    {
        // XxHash128 of the empty input (seed 0), as its reference implementation gives it.
        Assert.Equal("99aa06d3014798d86001c324468d497f", ContentHash.Hex(""));
        var text = "Aardvarks dig burrows. Ünïcödé too.";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(ContentHash.Hex(bytes), ContentHash.Hex(text));
        Assert.Equal(ContentHash.Hex(bytes), ContentHash.Hex(new MemoryStream(bytes)));
        var hash = new byte[ContentHash.Size];
        ContentHash.Hash(text, hash);
        Assert.Equal(ContentHash.Hex(text), Convert.ToHexStringLower(hash));
        var large = new string('x', 5000);
        Assert.Equal(ContentHash.Hex(System.Text.Encoding.UTF8.GetBytes(large)), ContentHash.Hex(large));
        Assert.NotEqual(ContentHash.Hex("a"), ContentHash.Hex("b"));
    }
}

public sealed class RandomHexTests
{
    [Fact]
    public void Ids_keep_their_lengths_and_do_not_repeat()
    {
        Assert.Matches("^[0-9a-f]{16}$", ApprovalIds.New());
        Assert.Matches("^[0-9a-f]{10}$", MemoryIds.New());
        Assert.Matches("^[0-9a-f]{8}$", ScheduleIds.New());
        Assert.Equal(28, RandomHex.Of(RandomHex.MaxBytes).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomHex.Of(RandomHex.MaxBytes + 1));
        var ids = Enumerable.Range(0, 100_000).Select(_ => RandomHex.Of(8)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_hex_digit_of_every_position_occurs()
    {
        // A Guid's version and variant bits are left out: no position is stuck at one value.
        var ids = Enumerable.Range(0, 4000).Select(_ => RandomHex.Of(RandomHex.MaxBytes)).ToList();
        for (var position = 0; position < 28; position++)
            Assert.Equal(16, ids.Select(id => id[position]).Distinct().Count());
    }
}
