namespace Moltworker.Knowledge.Model;

/// <summary>Where one search's time went, filled by a store that measures it (SQLite) when a request carries one
/// (<see cref="SearchRequest.Timings"/>): for benchmarks finding their slowest queries. Milliseconds.</summary>
public sealed class SearchTimings
{
    /// <summary>The BM25 stage on the calling thread.</summary>
    public double KeywordMs { get; set; }

    /// <summary>The vector scan (on the thread pool in a hybrid search, beside the BM25 stage).</summary>
    public double VectorMs { get; set; }

    /// <summary>Fusion and, with <see cref="SearchRequest.Documents"/>, the document ranking stage.</summary>
    public double FusionMs { get; set; }

    /// <summary>The document-level evidence (document BM25, defining passages), looked up beside the first stage.</summary>
    public double DocumentEvidenceMs { get; set; }

    /// <summary>Loading the returned passages.</summary>
    public double LoadMs { get; set; }

    /// <summary>How the BM25 stage answered, with each term's matching rows (for example
    /// <c>pruned-unproved rare 1 of 3, rows 2210/5004/9800</c>).</summary>
    public string? KeywordPlan { get; set; }

    public override string ToString() =>
        $"keyword {KeywordMs:0.0} ms ({KeywordPlan ?? "-"}), vector {VectorMs:0.0} ms, document evidence {DocumentEvidenceMs:0.0} ms, fusion {FusionMs:0.0} ms, load {LoadMs:0.0} ms";
}
