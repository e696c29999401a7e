using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker chat</c>: the console channel. One line in, the answer out; /exit or end of input quits.</summary>
public sealed class ChatVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var command = new Command("chat", "Chat in the terminal (the console channel): type a line, get the answer; /exit quits. Docs: docs/channels.md#the-terminal");
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var service = app.Services.GetRequiredService<IChatService>();
            Console.WriteLine("Moltworker console. /help lists commands, /exit quits.");
            while (!ct.IsCancellationRequested)
            {
                Console.Write("> ");
                var line = await Console.In.ReadLineAsync(ct);
                if (line is null || line.Trim() is "/exit" or "/quit") break;
                if (line.Trim().Length == 0) continue;
                try
                {
                    var reply = await service.HandleAsync(new IncomingMessage(ChatAddress.Local, line), ct);
                    Console.WriteLine(reply.Text);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Console.WriteLine($"error: {ex.Message}");
                }
            }
            return 0;
        });
        return command;
    }
}
