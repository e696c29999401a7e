using System.Collections.Concurrent;
using System.Threading.Channels;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tests.Schedules.Support;

/// <summary>An <see cref="IChatService"/> that records the messages scheduled runs send and answers "ran: &lt;text&gt;",
/// or fails when <see cref="Fail"/> is set, or waits for <see cref="Gate"/> when one is set.</summary>
public sealed class RecordingChat : IChatService
{
    public ConcurrentQueue<IncomingMessage> Messages { get; } = new();
    public Channel<IncomingMessage> Started { get; } = Channel.CreateUnbounded<IncomingMessage>();
    public bool Fail { get; set; }
    public TaskCompletionSource? Gate { get; set; }

    public async Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        Messages.Enqueue(message);
        Started.Writer.TryWrite(message);
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return Fail ? new ChatReply("the upstream is down", IsError: true) : new ChatReply($"ran: {message.Text}");
    }

    public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) => Task.CompletedTask;
}
