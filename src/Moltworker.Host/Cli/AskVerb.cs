using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker ask [--agent name] "text"</c>: one turn through the full kernel (with the agent given, else the chat's); the answer on stdout; exit 1 on failure.</summary>
public sealed class AskVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var text = new Argument<string>("text") { Description = "The question, or a /command" };
        var chat = new Option<string>("--chat") { Description = "Conversation id (keeps history between asks)", DefaultValueFactory = _ => "ask" };
        var agent = new Option<string?>("--agent") { Description = "Ask this agent (prompts/agents/<name>.md) instead of the chat's; see `agents list`" };
        var command = new Command("ask", "Ask one question (or run one /command) and print the answer; errors go to stderr with exit code 1. Docs: docs/channels.md#the-terminal") { text, chat, agent };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var service = app.Services.GetRequiredService<IChatService>();
            if (parse.GetValue(agent) is { } name && app.Services.GetRequiredService<AgentRegistry>().Current.Find(name) is null)
            {
                await Console.Error.WriteLineAsync($"error: there is no agent '{name}'. Run `moltworker agents list`.");
                return 1;
            }
            try
            {
                var message = new IncomingMessage(new ChatAddress("cli", parse.GetValue(chat)!, Environment.UserName), parse.GetValue(text)!) { Agent = parse.GetValue(agent) };
                var reply = await service.HandleAsync(message, ct);
                (reply.IsError ? Console.Error : Console.Out).WriteLine(reply.Text);
                return reply.IsError ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
