using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Mcp.Tests;

/// <summary>A compiled-in plugin whose tool name the test MCP server also uses.</summary>
[Plugin("Local")]
public sealed class EchoPlugin
{
    [Tool("echo"), Description("Echoes locally")]
    public static string Echo(string text) => $"local: {text}";
}
