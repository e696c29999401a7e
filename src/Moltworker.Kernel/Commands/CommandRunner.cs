using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Commands;

/// <summary>Runs commands: built-ins directly, tool commands as a one-call batch through the full filter pipeline
/// (so gating, timeouts, the journal and logging apply exactly as for the model's calls). Needs no model.</summary>
public sealed class CommandRunner(CommandCatalog catalog, BatchRunner batches) : ICommandRunner
{
    public async Task<ChatReply> RunAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken)
    {
        name = name.ToLowerInvariant();
        if (catalog.BuiltIn(name) is { } builtIn)
            return await builtIn.RunAsync(string.Join(' ', arguments.Values), address, cancellationToken);
        var command = catalog.Commands.FirstOrDefault(c => c.Name == name && c.Tool is not null);
        if (command is null) return Unknown(name);

        var turn = new TurnContext
        {
            TaskId = TaskIds.New(),
            Address = address,
            History = [],
            Model = ModelInfo.None,
            Agent = "command",
            CancellationToken = cancellationToken,
        };
        var call = new FunctionCallContent($"cmd_{name}", command.Tool!.Name, arguments.ToDictionary(kv => kv.Key, kv => kv.Value));
        var result = (await batches.RunAsync(turn, [call], "command"))[0].Result!;
        return new ChatReply(result.Content, result.IsError) { TaskId = turn.TaskId };
    }

    public Task<ChatReply> RunTextAsync(string name, string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        name = name.ToLowerInvariant();
        if (catalog.BuiltIn(name) is { } builtIn) return builtIn.RunAsync(rest, address, cancellationToken);
        var command = catalog.Commands.FirstOrDefault(c => c.Name == name && c.Tool is not null);
        if (command is null) return Task.FromResult(Unknown(name));
        Dictionary<string, object?> arguments;
        try { arguments = CommandArgumentParser.Parse(rest, command.Tool!.JsonSchema); }
        catch (System.Text.Json.JsonException ex) { return Task.FromResult(new ChatReply($"Could not read the arguments of /{name}: {ex.Message}", IsError: true)); }
        return RunAsync(name, arguments, address, cancellationToken);
    }

    private ChatReply Unknown(string name) =>
        new($"Unknown command /{name}. Commands: {string.Join(", ", catalog.Commands.Select(c => "/" + c.Name))}", IsError: true);
}
