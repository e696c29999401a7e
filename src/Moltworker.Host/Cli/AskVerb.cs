using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker ask "text"</c>: one turn through the full kernel; the answer on stdout; exit 1 on failure.</summary>
public sealed class AskVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var text = new Argument<string>("text") { Description = "The question, or a /command" };
        var chat = new Option<string>("--chat") { Description = "Conversation id (keeps history between asks)", DefaultValueFactory = _ => "ask" };
        var command = new Command("ask", "Ask one question (or run one /command) and print the answer; errors go to stderr with exit code 1. Docs: docs/channels.md#the-terminal") { text, chat };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var service = app.Services.GetRequiredService<IChatService>();
            try
            {
                var reply = await service.HandleAsync(new IncomingMessage(new ChatAddress("cli", parse.GetValue(chat)!, Environment.UserName), parse.GetValue(text)!), ct);
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
