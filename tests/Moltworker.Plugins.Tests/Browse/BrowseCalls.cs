using Microsoft.Extensions.AI;
using Moltworker.Plugins.BuiltIn.Browse;

namespace Moltworker.Plugins.Tests.Browse;

/// <summary>browse_url as the model calls it, reduced to the text it returns.</summary>
internal static class BrowseCalls
{
    public static async Task<string> TextAsync(this BrowsePlugin plugin, string url) =>
        string.Concat((await plugin.BrowseUrlAsync(url)).OfType<TextContent>().Select(t => t.Text));
}
