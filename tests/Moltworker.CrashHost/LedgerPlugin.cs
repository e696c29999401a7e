using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.CrashHost;

/// <summary>Reads (parallel-safe) and writes (side effects, reconciled by idempotency key) against the in-test ledger, and
/// an append that declares nothing (an undeclared SK function: side-effecting, in doubt after a crash).</summary>
[Plugin("ledger")]
public sealed class LedgerPlugin(IConfigurationSection section)
{
    private static readonly HttpClient Http = new();
    private readonly string _baseUrl = section["BaseUrl"] ?? throw new InvalidOperationException("Moltworker:Plugins:ledger:BaseUrl is not set");

    [KernelFunction("ledger_read"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Reads an item from the ledger")]
    public Task<string> Read([Description("item")] string item, ToolContext context, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, item, context, ct);

    [KernelFunction("ledger_write"), ToolSafety(SideEffects = true, Idempotent = true), Description("Writes an item to the ledger")]
    public Task<string> Write([Description("item")] string item, ToolContext context, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, item, context, ct);

    [KernelFunction("ledger_append"), Description("Appends an item to the ledger (cannot reconcile: not idempotent; declares nothing, so side-effecting)")]
    public Task<string> Append([Description("item")] string item, ToolContext context, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, item, context, ct);

    private async Task<string> SendAsync(HttpMethod method, string item, ToolContext context, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, $"{_baseUrl.TrimEnd('/')}/ledger?item={Uri.EscapeDataString(item)}");
        request.Headers.Add("Idempotency-Key", context.IdempotencyKey);
        using var response = await Http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct);
    }
}
