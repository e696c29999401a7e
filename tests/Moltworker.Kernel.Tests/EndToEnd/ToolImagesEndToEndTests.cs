using Moltworker.Testing.OpenAI;

namespace Moltworker.Kernel.Tests.EndToEnd;

/// <summary>Images a tool returns (browse_url's screenshot) reach a model that takes images, for that turn only.</summary>
public sealed class ToolImagesEndToEndTests
{
    private static readonly string PngDataUrl = "data:image/png;base64," + Convert.ToBase64String(TravelPlugin.Png);

    [Fact]
    public async Task A_model_that_takes_images_gets_the_tool_image_in_a_user_message_after_the_tool_result()
    {
        await using var k = await KernelHarness.StartAsync(model: "gpt-4o"); // "images": true in the built-in catalog
        k.Server.Enqueue(ScriptedReply.Call("map", """{"city":"Oslo"}""", "call_m"), ScriptedReply.Answer("Oslo is by the fjord."));

        var reply = await k.AskAsync("Show me Oslo");

        Assert.Equal("Oslo is by the fjord.", reply.Text);
        var second = k.Server.Requests[1];
        Transcript.AssertEveryCallAnsweredOnceInOrder(second);
        Assert.StartsWith("Map of Oslo", Transcript.ResultOf(second, "call_m"));
        Assert.Contains("1 image(s) follow in the next message", Transcript.ResultOf(second, "call_m"));
        var images = second.Messages[^1];
        Assert.Equal("user", images.Role);
        Assert.Contains("returned by map (call call_m)", images.Content);
        Assert.Equal([PngDataUrl], images.ImageUrls);
    }

    [Fact]
    public async Task The_image_lives_for_its_turn_only_the_next_turn_sees_the_text()
    {
        await using var k = await KernelHarness.StartAsync(model: "gpt-4o");
        k.Server.Enqueue(ScriptedReply.Call("map", """{"city":"Oslo"}""", "call_m"), ScriptedReply.Answer("Here it is."), ScriptedReply.Answer("Yes."));
        await k.AskAsync("Show me Oslo");

        await k.AskAsync("Was that Oslo?");

        var next = k.Server.Requests[2];
        Assert.All(next.Messages, m => Assert.Empty(m.ImageUrls));
        Assert.StartsWith("Map of Oslo", Transcript.ResultOf(next, "call_m"));
        Assert.Equal("Was that Oslo?", next.LastUserText);
    }

    [Fact]
    public async Task A_model_not_marked_as_taking_images_gets_the_text_and_a_note()
    {
        await using var k = await KernelHarness.StartAsync(); // an unknown model: no images
        k.Server.Enqueue(ScriptedReply.Call("map", """{"city":"Oslo"}""", "call_m"), ScriptedReply.Answer("I can't see maps."));

        await k.AskAsync("Show me Oslo");

        var second = k.Server.Requests[1];
        Assert.All(second.Messages, m => Assert.Empty(m.ImageUrls));
        Assert.Equal("tool", second.Messages[^1].Role);
        Assert.Contains("1 image(s) not sent: the model is not marked as taking images", Transcript.ResultOf(second, "call_m"));
    }
}
