namespace Moltworker.Knowledge.Text;

/// <summary>FNV-1a over UTF-16 code units: stable across processes and machines (unlike string.GetHashCode).</summary>
public static class StableHash
{
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
