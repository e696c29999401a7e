using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Commands.BuiltIn;

public sealed class HelpCommand(IServiceProvider services, ModelAccess models) : IBuiltInCommand
{
    public string Name => "help";
    public string Description => "List the commands";

    public Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("**Commands**\n");
        foreach (var c in services.GetRequiredService<ICommandCatalog>().Commands)
            text.Append($"/{c.Name} — {c.Description}\n");
        text.Append(models.IsConfigured ? "\nAnything else is a question for the assistant." : "\nNo model is configured: commands work, free text gets a pointer to the setup.");
        return Task.FromResult(new ChatReply(text.ToString().TrimEnd()));
    }
}
