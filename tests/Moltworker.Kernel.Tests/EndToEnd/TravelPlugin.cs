using System.ComponentModel;
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

    [Tool("fail"), Description("Always fails.")]
    public string Fail()
    {
        log.Add("fail()");
        throw new ToolException("the booking system is down");
    }
}
