using System.Collections.Concurrent;
using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Channels.Discord.Tests.Approvals;

/// <summary>A side-effecting tool that declares <c>NeedsApproval</c> and counts its runs per note.</summary>
[Plugin("TestNotes")]
public sealed class NotesPlugin
{
    public static readonly ConcurrentDictionary<string, int> Runs = new(StringComparer.Ordinal);

    [Tool("send_note", SideEffects = true, NeedsApproval = true)]
    [Description("Sends a note to the team.")]
    public string Send([Description("The note.")] string note)
    {
        Runs.AddOrUpdate(note, 1, (_, n) => n + 1);
        return "sent: " + note;
    }

    public static int RunsOf(string note) => Runs.GetValueOrDefault(note);
}
