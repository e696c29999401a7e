using System.Text;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Puts streamed tool-call deltas back together: the first delta of a call brings its index, id and name, later ones
/// argument fragments with the same index. A delta with a new id at an index already in use starts a new call
/// (some OpenAI-compatible servers number every call 0). Calls come out in the order they began.
/// </summary>
internal sealed class ToolCallAssembler
{
    private readonly List<(string? Id, string? Name, StringBuilder Args)> _calls = [];
    private readonly Dictionary<int, int> _byIndex = [];

    public int Count => _calls.Count;

    public void Add(StreamingChatToolCallUpdate delta)
    {
        var id = delta.ToolCallId;
        if (!_byIndex.TryGetValue(delta.Index, out var at) ||
            (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(_calls[at].Id) && _calls[at].Id != id))
        {
            _calls.Add((null, null, new StringBuilder()));
            at = _byIndex[delta.Index] = _calls.Count - 1;
        }
        var call = _calls[at];
        if (string.IsNullOrEmpty(call.Id)) call.Id = id;
        if (string.IsNullOrEmpty(call.Name)) call.Name = delta.FunctionName;
        if (delta.FunctionArgumentsUpdate is { } args && !args.ToMemory().IsEmpty) call.Args.Append(args.ToString());
        _calls[at] = call;
    }

    public IEnumerable<FunctionCallContent> Complete() =>
        _calls.Select((c, i) => OpenAIMessageMapper.ParseCall(string.IsNullOrEmpty(c.Id) ? $"call_{i}" : c.Id, c.Name ?? "", c.Args.ToString()));
}
