using Moltworker.Channels.Discord.Interactions;

namespace Moltworker.Channels.Discord.Tests.Interactions;

public sealed class MessageSplitterTests
{
    [Fact]
    public void Short_text_is_one_message() => Assert.Equal(["hello"], MessageSplitter.Split("hello"));

    [Fact]
    public void Long_text_splits_on_paragraphs_within_the_limit()
    {
        var paragraph = new string('a', 900);
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 5));
        var parts = MessageSplitter.Split(text);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.Equal(3, parts.Count);
        Assert.Equal(text.Replace("\n", "", StringComparison.Ordinal), string.Concat(parts).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_code_block_cut_in_two_is_closed_and_reopened()
    {
        var code = string.Join('\n', Enumerable.Range(0, 80).Select(i => $"var line{i:D3} = {i}; // some code here"));
        var parts = MessageSplitter.Split("Here:\n```csharp\n" + code + "\n```\nDone.");
        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.EndsWith("```", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("```csharp\n", parts[1], StringComparison.Ordinal);
        Assert.All(parts, p => Assert.Equal(0, p.Split('\n').Count(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal)) % 2));
    }

    [Fact]
    public void Text_without_spaces_is_cut_hard()
    {
        var parts = MessageSplitter.Split(new string('x', 4500));
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.Equal(4500, parts.Sum(p => p.Length));
    }

    [Fact]
    public void Empty_text_still_gives_a_message() => Assert.Single(MessageSplitter.Split(""));
}
