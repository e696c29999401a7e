namespace Moltworker.Knowledge.Text;

/// <summary>Counts tokens for chunk sizes: a model's real tokenizer (<see cref="TiktokenCounter"/>) or the estimate
/// (<see cref="EstimatingTokenCounter"/>).</summary>
public interface ITokenCounter
{
    /// <summary>"o200k_base", "cl100k_base" or "estimate".</summary>
    string Name { get; }

    int Count(ReadOnlySpan<char> text);
}
