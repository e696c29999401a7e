namespace Moltworker.Knowledge.Text;

/// <summary>The tokenizer-free estimate of <see cref="TokenEstimator"/>.</summary>
public sealed class EstimatingTokenCounter : ITokenCounter
{
    public static EstimatingTokenCounter Instance { get; } = new();

    public string Name => "estimate";

    public int Count(ReadOnlySpan<char> text) => TokenEstimator.Estimate(text);
}
