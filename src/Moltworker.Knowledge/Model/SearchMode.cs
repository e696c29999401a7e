namespace Moltworker.Knowledge.Model;

/// <summary>Which rankings a search uses.</summary>
public enum SearchMode
{
    /// <summary>Hybrid when a vector is given, else keyword.</summary>
    Auto,
    Keyword,
    Vector,
    Hybrid,
}
