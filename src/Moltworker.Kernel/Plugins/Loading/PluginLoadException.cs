namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>A drop-in file that is a .NET assembly but not a usable plugin.</summary>
public sealed class PluginLoadException(string message) : Exception(message);
