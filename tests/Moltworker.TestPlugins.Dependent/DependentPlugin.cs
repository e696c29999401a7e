using System.ComponentModel;
using Moltworker.Abstractions;
using Moltworker.TestPlugins.Dependent.Helper;

namespace Moltworker.TestPlugins.Dependent;

[Plugin("Dependent")]
public sealed class DependentPlugin
{
    // Uses the dependency while constructing, so a missing dependency shows at load time.
    private readonly string _greeting = Shouting.Loud("ready");

    [Tool("dependent_shout", Command = true, CommandName = "shout")]
    [Description("Repeats the text in capitals.")]
    public string Shout([Description("Text")] string text) => $"{Shouting.Loud(text)} ({_greeting})";
}
