using Moltworker.Abstractions;

namespace Moltworker.Kernel.Tests.Safety;

/// <summary>The one definition of "safe to repeat" and "safe to run alongside" that retry, crash-resume and the
/// parallel gate all read (<see cref="ToolMetadata"/>).</summary>
public sealed class SafetyRulesTests
{
    [Theory]
    [InlineData(false, false, true)]  // reads only
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]    // side effect, reconciled by idempotency key
    [InlineData(true, false, false)]  // side effect that cannot reconcile
    public void Safe_to_repeat_means_no_side_effects_or_idempotent(bool sideEffects, bool idempotent, bool expected) =>
        Assert.Equal(expected, new ToolMetadata { SideEffects = sideEffects, Idempotent = idempotent }.SafeToRepeat);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Safe_to_run_alongside_means_declared_parallel_safe(bool parallelSafe, bool expected) =>
        Assert.Equal(expected, new ToolMetadata { ParallelSafe = parallelSafe, SideEffects = false }.SafeToRunAlongside);

    [Fact]
    public void A_function_that_declares_nothing_is_side_effecting_sequential_and_not_safe_to_repeat()
    {
        var undeclared = ToolMetadata.Undeclared;
        Assert.True(undeclared.SideEffects);
        Assert.False(undeclared.SafeToRepeat);
        Assert.False(undeclared.SafeToRunAlongside);
        Assert.Null(undeclared.Command);
    }

    [Fact]
    public void A_ToolSafety_attribute_with_nothing_set_keeps_the_side_effecting_default()
    {
        var declared = ToolMetadata.From(new ToolSafetyAttribute(), "f", "p");
        Assert.Equal(ToolMetadata.Undeclared with { Plugin = "p" }, declared);
        var readOnly = ToolMetadata.From(new ToolSafetyAttribute { SideEffects = false, ParallelSafe = true, Command = true, TimeoutSeconds = 3 }, "f", "p");
        Assert.True(readOnly.SafeToRepeat);
        Assert.True(readOnly.SafeToRunAlongside);
        Assert.Equal("f", readOnly.Command);
        Assert.Equal(TimeSpan.FromSeconds(3), readOnly.Timeout);
    }
}
