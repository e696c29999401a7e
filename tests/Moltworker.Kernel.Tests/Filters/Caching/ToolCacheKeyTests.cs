using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters.Caching;

namespace Moltworker.Kernel.Tests.Filters.Caching;

public sealed class ToolCacheKeyTests
{
    private static AIFunctionArguments Args(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(p => p.Key, p => (object?)p.Value));

    [Theory]
    [InlineData("""{"city":"Paris","days":2}""", """{ "days" : 2.0, "city": "Paris" }""")]
    [InlineData("""{"q":{"b":1,"a":[1,{"y":1e1,"x":0}]}}""", """{"q":{"a":[1.0,{"x":-0,"y":10}],"b":1.00}}""")]
    public void The_same_arguments_in_another_order_or_spelling_give_the_same_canonical_text_and_key(string one, string other)
    {
        Assert.Equal(CanonicalArguments.Of(Args(one)), CanonicalArguments.Of(Args(other)));
        Assert.Equal(ToolCacheKey.Of("t", Args(one), null), ToolCacheKey.Of("t", Args(other), null));
    }

    [Fact]
    public void Canonical_text_sorts_keys_and_keeps_strings_exactly()
    {
        Assert.Equal("""{"a":" x ","b":[2,1],"c":1.5}""", CanonicalArguments.Of(Args("""{"c":1.50,"b":[2,1],"a":" x "}""")));
    }

    [Fact]
    public void Tool_arguments_and_user_each_change_the_key()
    {
        var args = Args("""{"city":"Paris"}""");
        var key = ToolCacheKey.Of("lookup", args, null);
        Assert.StartsWith(ToolCacheKey.Prefix, key);
        Assert.DoesNotContain("Paris", key);
        Assert.NotEqual(key, ToolCacheKey.Of("other", args, null));
        Assert.NotEqual(key, ToolCacheKey.Of("lookup", Args("""{"city":"paris"}"""), null));
        Assert.NotEqual(ToolCacheKey.Of("lookup", args, "alice"), ToolCacheKey.Of("lookup", args, "bob"));
        Assert.NotEqual(key, ToolCacheKey.Of("lookup", args, "alice"));
    }
}
