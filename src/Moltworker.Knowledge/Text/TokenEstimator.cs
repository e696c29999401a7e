namespace Moltworker.Knowledge.Text;

/// <summary>
/// A tokenizer-free token estimate: every whitespace-separated word costs one token per started four
/// characters ((length + 3) / 4). English prose comes out near 1.4 tokens per word, close to (slightly above)
/// what BPE tokenizers of current models produce, so chunks stay under the budget rather than over it.
/// </summary>
public static class TokenEstimator
{
    public static int ForWord(int length) => length <= 0 ? 0 : (length + 3) / 4;

    public static int Estimate(ReadOnlySpan<char> text)
    {
        var tokens = 0;
        var word = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                tokens += ForWord(word);
                word = 0;
            }
            else word++;
        }
        return tokens + ForWord(word);
    }
}
