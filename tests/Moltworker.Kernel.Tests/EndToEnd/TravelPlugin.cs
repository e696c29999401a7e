using System.ComponentModel;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>A plain plugin class for the end-to-end turns.</summary>
[Plugin("travel")]
public sealed class TravelPlugin(ToolCallLog log)
{
    [Tool("weather"), Description("The weather today in a city.")]
    public string Weather([Description("City name")] string city)
    {
        log.Add($"weather({city})");
        return city switch { "Oslo" => "Oslo: rain, 7°C", "Bergen" => "Bergen: sun, 11°C", _ => $"{city}: unknown" };
    }

    [Tool("time_now"), Description("The current local time.")]
    public string TimeNow()
    {
        log.Add("time_now()");
        return "12:00";
    }

    /// <summary>The first bytes of a PNG file: enough for a media type and a data URL.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    [Tool("map"), Description("A map of a city, as an image.")]
    public IReadOnlyList<AIContent> Map([Description("City name")] string city)
    {
        log.Add($"map({city})");
        return [new TextContent($"Map of {city}"), new DataContent(Png, "image/png")];
    }

    [Tool("fail"), Description("Always fails.")]
    public string Fail()
    {
        log.Add("fail()");
        throw new ToolException("the booking system is down");
    }
}
