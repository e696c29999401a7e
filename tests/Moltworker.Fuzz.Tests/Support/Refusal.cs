namespace Moltworker.Fuzz.Tests.Support;

/// <summary>The fuzz property: the input was handled, or refused with a reason a person can read. Anything else
/// (an exception of another type, an empty reason) fails the case.</summary>
public static class Refusal
{
    public static void AssertReason(string? reason)
    {
        Assert.False(string.IsNullOrWhiteSpace(reason), "refused without a reason");
    }

    /// <summary>Runs <paramref name="parse"/>; an exception of type <typeparamref name="TRefusal"/> is the parser's documented
    /// refusal and must carry a message; any other exception escapes and fails the case.</summary>
    public static void HandledOrRefused<TRefusal>(Action parse) where TRefusal : Exception
    {
        try { parse(); }
        catch (TRefusal ex) { AssertReason(ex.Message); }
    }
}
