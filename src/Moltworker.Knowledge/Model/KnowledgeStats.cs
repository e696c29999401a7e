namespace Moltworker.Knowledge.Model;

public sealed record KnowledgeStats(long Documents, long Chunks, long Vectors);
