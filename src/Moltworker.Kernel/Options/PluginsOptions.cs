namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Plugins</c> (each plugin's own settings are sub-sections named after the plugin).</summary>
public sealed class PluginsOptions
{
    /// <summary>The drop-in folder watched for plugin assemblies; resolved against the content root.</summary>
    public string Directory { get; set; } = "plugins";

    /// <summary>Watch the folder and load, reload or unload plugins while the host runs.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet time after the last file event before the folder is rescanned (a copy in progress settles).</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}
