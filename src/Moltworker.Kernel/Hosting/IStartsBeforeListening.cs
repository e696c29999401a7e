namespace Moltworker.Kernel.Hosting;

/// <summary>A hosted service the web host starts before its server listens, where a failure stops the start before
/// anything is served (the data directory's lock, the PostgreSQL check). Every other hosted service is made and
/// started once the server listens. A marker, so the host can tell them apart without loading the assembly of a
/// provider it does not use.</summary>
public interface IStartsBeforeListening;
