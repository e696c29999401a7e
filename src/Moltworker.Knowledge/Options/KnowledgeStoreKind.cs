namespace Moltworker.Knowledge.Options;

/// <summary>Where the knowledge base lives.</summary>
public enum KnowledgeStoreKind
{
    Sqlite,
    Qdrant,
}
