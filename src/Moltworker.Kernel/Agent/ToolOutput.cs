using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;
using SK = Microsoft.SemanticKernel;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// Splits what a function returned into the text the model reads and the images beside it. Content values are
/// understood in both vocabularies: Microsoft.Extensions.AI (<see cref="AIContent"/>, one or a list) and Semantic
/// Kernel (<see cref="SK.KernelContent"/>, one or a list). Text parts are joined by blank lines and images with bytes
/// are kept; any other content is rendered as JSON. Every other value is rendered by <see cref="FunctionInvoker.Render"/>.
/// </summary>
public static class ToolOutput
{
    /// <summary>The result a call answers with when its function returned <paramref name="value"/>: the text capped at
    /// <paramref name="maxChars"/> (0: no cap) and the images beside it.</summary>
    public static ToolResult Result(object? value, int maxChars = 0)
    {
        var (text, images) = Split(value);
        return ToolResult.Ok(FunctionInvoker.Truncate(text, maxChars)) with { Images = images };
    }

    public static (string Text, IReadOnlyList<DataContent> Images) Split(object? value)
    {
        var parts = value switch
        {
            AIContent one => [one],
            IEnumerable<AIContent> many => many.ToList(),
            SK.KernelContent one => [FromKernel(one)],
            IEnumerable<SK.KernelContent> many => many.Select(FromKernel).ToList(),
            _ => null,
        };
        if (parts is null) return (FunctionInvoker.Render(value), []);

        static bool IsImage(AIContent p) => p is DataContent d && d.HasTopLevelMediaType("image");
        var images = parts.Where(IsImage).Cast<DataContent>().ToList();
        var texts = parts.Where(p => !IsImage(p)).Select(p => p is TextContent t ? t.Text : FunctionInvoker.Render(p))
            .Where(t => !string.IsNullOrEmpty(t));
        var text = string.Join("\n\n", texts);
        return (text.Length > 0 ? text : images.Count > 0 ? $"{images.Count} image(s)" : "OK", images);
    }

    private static AIContent FromKernel(SK.KernelContent content) => content switch
    {
        SK.TextContent t => new TextContent(t.Text),
        SK.ImageContent { Data: { } data } image => new DataContent(data, image.MimeType ?? "image/png"),
        SK.ImageContent { Uri: { } uri } => new TextContent($"image: {uri}"),
        _ => new TextContent(content.ToString()),
    };
}
