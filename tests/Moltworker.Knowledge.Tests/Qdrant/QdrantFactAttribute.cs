namespace Moltworker.Knowledge.Tests.Qdrant;

/// <summary>A fact that runs only when <c>QDRANT_URL</c> points at a real Qdrant (xunit 2 has no dynamic skip,
/// so the skip reason is set when the attribute is created).</summary>
public sealed class QdrantFactAttribute : FactAttribute
{
    public QdrantFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("QDRANT_URL")))
            Skip = "QDRANT_URL is not set: no real Qdrant to test against (e.g. QDRANT_URL=http://localhost:6333; QDRANT_API_KEY optional).";
    }
}
