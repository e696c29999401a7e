using System.Threading.Channels;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Kernel.Tests.Schedules.Support;

/// <summary>An <see cref="IChatDelivery"/> for the "test" channel that keeps what it was asked to send.</summary>
public sealed class RecordingDelivery : IChatDelivery
{
    public string Channel => "test";
    public Channel<(ChatAddress Address, string Text)> Sent { get; } = System.Threading.Channels.Channel.CreateUnbounded<(ChatAddress, string)>();

    public Task DeliverAsync(ChatAddress address, string markdown, CancellationToken cancellationToken)
    {
        Sent.Writer.TryWrite((address, markdown));
        return Task.CompletedTask;
    }

    public async Task<string> NextAsync() => (await Sent.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Text;
}
