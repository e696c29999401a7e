using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.TestPlugins.Faulty;

[Plugin("Faulty")]
public sealed class FaultyPlugin
{
    public FaultyPlugin() => throw new InvalidOperationException("the faulty plugin refuses to start");

    [Tool("faulty_echo", Command = true)]
    [Description("Never offered: the constructor throws.")]
    public string Echo([Description("Text")] string text) => text;
}
