namespace Moltworker.Kernel.Hosting;

/// <summary>A host's hold on its background start-up work (the web host holds it until its first answer): while it is
/// closed, that work has not started yet, and whoever would do it on demand instead reports it as loading.</summary>
public interface IStartupHold
{
    bool IsOpen { get; }
}
