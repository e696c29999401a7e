using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Moltworker.Console.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Moltworker.Console.Tests;

/// <summary>Issue 13, item 5: the web console in headless Chromium against the real host. Any page error or console
/// error fails the test.</summary>
public sealed class ConsoleBrowserTests
{
    [Fact]
    public async Task A_chat_message_sent_in_the_console_gets_its_answer()
    {
        await using var host = await ConsoleHost.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync(host.BaseUrl + "/");

        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await page.Locator(".chat-input").FillAsync("hello there");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var answer = page.Locator(".msg.agent").Last;
        await Expect(answer.Locator(".msg-text")).ToHaveTextAsync("echo: hello there");
        await Expect(answer.Locator(".msg-status")).ToHaveTextAsync("done");
        await Expect(answer.Locator("a.msg-link")).ToBeVisibleAsync();
        Assert.Contains(host.Model.Requests, r => r.LastUserText == "hello there");   // it went through the host to the model

        // The answer's link opens the turn's timeline.
        await answer.Locator("a.msg-link").ClickAsync();
        await Expect(page.Locator(".task-header [data-status]")).ToHaveTextAsync("completed");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_schedules_page_lists_a_schedule_added_through_the_api_and_pausing_it_updates_its_row()
    {
        await using var host = await ConsoleHost.StartAsync();
        using (var created = await host.Http.PostAsJsonAsync("/api/schedules", new { channel = "http", chatId = "console", when = "every 2h", what = "/echo_text hi" }))
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var id = (await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules"))[0].GetProperty("id").GetString()!;
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync(host.BaseUrl + "/#/schedules");

        var row = page.Locator($".schedule-row[data-schedule='{id}']");
        await Expect(row).ToContainTextAsync("http:console");
        await Expect(row).ToContainTextAsync("every 2h");
        await Expect(row).ToContainTextAsync("/echo_text hi");
        await Expect(row.Locator(".schedule-state")).ToHaveTextAsync("active");
        await Expect(row.Locator(".next-run")).Not.ToHaveTextAsync("—");

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-paused", "true");
        await Expect(row.Locator(".schedule-state")).ToHaveTextAsync("paused");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        Assert.True((await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules"))[0].GetProperty("paused").GetBoolean());

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator(".schedule-row")).ToHaveCountAsync(0);
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules")).EnumerateArray());
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task With_a_key_defined_the_console_asks_for_it_once_and_keeps_it()
    {
        await using var host = await ConsoleHost.StartAsync();
        var key = await host.CreateKeyAsync("console", "chat", "read");
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await page.GotoAsync(host.BaseUrl + "/");

        var dialog = page.Locator("#key-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync("mwk_not-a-key");
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(page.Locator("#key-error")).ToContainTextAsync("not known");   // asked again, saying why

        await page.Locator("#key-input").FillAsync(key);
        await page.Locator("#key-input").PressAsync("Enter");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");   // the socket opened with a ticket
        await page.Locator(".chat-input").FillAsync("with a key");
        await page.Locator(".chat-input").PressAsync("Enter");
        await Expect(page.Locator(".msg.agent .msg-text").Last).ToHaveTextAsync("echo: with a key");

        await page.ReloadAsync();   // kept in the browser: not asked again
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(dialog).ToBeHiddenAsync();
        browser.AssertNoErrors("status of 401");   // Chromium logs each refused request; refusals are expected here
    }

    [Fact]
    public async Task A_three_call_parallel_batch_shows_its_progress_live_and_three_overlapping_bars()
    {
        await using var host = await ConsoleHost.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync(host.BaseUrl + "/#/tasks");
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

        host.Gate.Close();   // the three calls do their 200 ms, then wait here until the test has seen the batch running
        var chat = host.ChatAsync("waterfall", "look around");
        await page.Locator(".task-row[data-status=running] a").First.ClickAsync();   // listed live, from the event socket
        var waterfall = page.Locator(".waterfall");
        await Expect(waterfall).ToContainTextAsync("0/3 done");
        await Expect(waterfall).ToHaveAttributeAsync("data-running", "true");

        host.Gate.Release();
        var reply = await chat;
        Assert.Equal("done: look around", reply.GetProperty("text").GetString());
        await Expect(waterfall).ToHaveAttributeAsync("data-running", "false");
        await Expect(waterfall).ToContainTextAsync("batch of 3 (parallel)");

        var tools = waterfall.Locator(".wf-bar[data-kind=tool]");
        await Expect(tools).ToHaveCountAsync(3);
        var boxes = new List<LocatorBoundingBoxResult>();
        for (var i = 0; i < 3; i++)
        {
            var bar = tools.Nth(i);
            // The events' times are whole milliseconds and the 200 ms timer may fire a little early: a few ms of slack
            // (CI once saw a bar under 199 ms); a bar that did not span the call would be far shorter.
            Assert.True(double.Parse(await bar.GetAttributeAsync("data-end") ?? "0") - double.Parse(await bar.GetAttributeAsync("data-start") ?? "0")
                        >= ConsoleTestTools.LookTime.TotalMilliseconds - 5, "a call's bar is shorter than the call");
            boxes.Add((await bar.BoundingBoxAsync())!);
        }
        var latestStart = boxes.Max(b => b.X);
        var earliestEnd = boxes.Min(b => b.X + b.Width);
        Assert.True(latestStart < earliestEnd, $"the three call bars do not overlap on screen: {string.Join(", ", boxes.Select(b => $"[{b.X:F0}, {b.X + b.Width:F0}]"))}");

        var batch = waterfall.Locator(".wf-bar[data-kind=batch]");
        var batchBox = (await batch.BoundingBoxAsync())!;
        Assert.All(boxes, b => Assert.True(b.X >= batchBox.X - 1 && b.X + b.Width <= batchBox.X + batchBox.Width + 1, "a call's bar lies outside its batch's bar"));

        await tools.First.ClickAsync();
        var detail = page.Locator(".bar-detail");
        await Expect(detail).ToContainTextAsync("tool_call_completed");
        await Expect(detail).ToContainTextAsync("slow_look");
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task A_finished_task_replays_from_its_stored_events_with_scrubber_play_and_speed()
    {
        await using var host = await ConsoleHost.StartAsync();
        var taskId = (await host.ChatAsync("replay", "look back")).GetProperty("taskId").GetString()!;
        var stored = (await host.TaskEventsAsync(taskId)).Count;
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync($"{host.BaseUrl}/#/tasks/{taskId}");

        var readout = page.Locator(".replay-readout");
        var tools = page.Locator(".waterfall .wf-bar[data-kind=tool]");
        await Expect(readout).ToHaveAttributeAsync("data-total", stored.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(readout).ToHaveAttributeAsync("data-shown", stored.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(tools).ToHaveCountAsync(3);

        // Scrubbed back to the start, the calls have not happened yet.
        await page.Locator(".replay-scrubber").EvaluateAsync("el => { el.value = '0'; el.dispatchEvent(new Event('input')); }");
        await Expect(tools).ToHaveCountAsync(0);
        await Expect(readout).Not.ToHaveAttributeAsync("data-shown", stored.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Played at 10×, it runs to the end and stops.
        await page.Locator(".replay-speed").SelectOptionAsync("10");
        var play = page.Locator(".replay-play");
        await play.ClickAsync();
        await Expect(play).ToHaveTextAsync("Play");
        await Expect(readout).ToHaveAttributeAsync("data-shown", stored.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(tools).ToHaveCountAsync(3);
        await Expect(page.Locator(".threads [data-thread]")).ToHaveCountAsync(1);   // no delegation: one thread
        browser.AssertNoErrors();
    }

    [Fact]
    public async Task The_approvals_panel_approves_a_pending_request_and_the_call_then_runs()
    {
        await using var host = await ConsoleHost.StartAsync();
        await host.ChatAsync("approvals", "note buy milk");   // the turn pauses: write_note needs approval
        await using var browser = await ConsoleBrowser.OpenAsync();
        var page = browser.Page;
        await browser.GotoAsync(host.BaseUrl + "/#/approvals");

        var card = page.Locator(".approval");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToContainTextAsync("write_note");
        await Expect(card).ToContainTextAsync("buy milk");
        await Expect(page.Locator("#approval-count")).ToHaveTextAsync("1");
        Assert.False(host.Gate.FirstNote.IsCompleted);

        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        Assert.Equal("buy milk", await host.Gate.FirstNote.WaitAsync(TimeSpan.FromSeconds(30)));
        await Expect(card).ToHaveCountAsync(0);
        await Expect(page.GetByText("Nothing waits for approval.")).ToBeVisibleAsync();
        await Expect(page.Locator("#approval-count")).ToBeHiddenAsync();
        browser.AssertNoErrors();
    }
}
