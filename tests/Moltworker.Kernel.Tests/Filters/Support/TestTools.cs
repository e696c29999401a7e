using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>SK functions with every safety declaration, reporting to a <see cref="ToolProbe"/>.</summary>
[Plugin("test")]
public sealed class TestTools(ToolProbe probe, TimeProvider time)
{
    [KernelFunction("slow_read"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Reads after a delay on the injected clock")]
    public async Task<string> SlowRead([Description("name")] string name, ToolContext context, CancellationToken ct)
    {
        var delay = Task.Delay(probe.Delay, time, ct);
        probe.Enter(context.IdempotencyKey);
        try { await delay; }
        finally { probe.Exit(name); }
        return $"read:{name}";
    }

    [KernelFunction("gated_read"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Reads when the probe opens its gate")]
    public async Task<string> GatedRead([Description("name")] string name, ToolContext context, CancellationToken ct)
    {
        probe.Enter(context.IdempotencyKey);
        try
        {
            var gate = probe.PerCallGates.TryGetValue(name, out var own) ? own.Task : probe.Gate.Task;
            await gate.WaitAsync(ct);
        }
        finally { probe.Exit(name); }
        return $"read:{name}";
    }

    [KernelFunction("fail_read"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Always fails")]
    public string FailRead(ToolContext context)
    {
        probe.Enter(context.IdempotencyKey);
        probe.Exit("fail");
        throw new InvalidOperationException("the disk is on fire");
    }

    [KernelFunction("write"), ToolSafety(SideEffects = true), Description("Writes (not idempotent)")]
    public string Write([Description("item")] string item, ToolContext context)
    {
        probe.Enter(context.IdempotencyKey);
        probe.Exit(item);
        return $"wrote:{item}";
    }

    [KernelFunction("idem_write"), ToolSafety(SideEffects = true, Idempotent = true), Description("Writes with an idempotency key")]
    public string IdemWrite([Description("item")] string item, ToolContext context)
    {
        probe.Enter(context.IdempotencyKey);
        probe.Exit(item);
        return $"wrote:{item}";
    }

    [KernelFunction("flaky_read"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Fails transiently FlakyFailures times")]
    public string FlakyRead(ToolContext context) => Flaky(context);

    [KernelFunction("flaky_write"), ToolSafety(SideEffects = true), Description("A side effect that fails transiently")]
    public string FlakyWrite(ToolContext context) => Flaky(context);

    [KernelFunction("flaky_idem_write"), ToolSafety(SideEffects = true, Idempotent = true), Description("An idempotent side effect that fails transiently")]
    public string FlakyIdemWrite(ToolContext context) => Flaky(context);

    [KernelFunction("undeclared_write"), Description("Declares nothing: side-effecting by default; fails transiently")]
    public string UndeclaredWrite(ToolContext context) => Flaky(context);

    private string Flaky(ToolContext context)
    {
        probe.Enter(context.IdempotencyKey);
        probe.Exit("flaky");
        probe.Attempts.Enqueue((context.IdempotencyKey, context.Attempt));
        if (probe.Attempts.Count(a => a.Key == context.IdempotencyKey) <= probe.FlakyFailures)
            throw new ToolException("upstream answered 503", transient: true) { RetryAfter = probe.RetryAfter };
        return $"ok after {context.Attempt}";
    }

    [KernelFunction("secret_echo"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Echoes")]
    public string SecretEcho([Description("query")] string query, [Description("apiKey")] string apiKey, [Description("options")] Dictionary<string, object?>? options = null) => $"echo:{query}";

    [KernelFunction("huge"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Returns 10 MB")]
    public string Huge() => new('x', 10 * 1024 * 1024);

    [KernelFunction("hang"), ToolSafety(SideEffects = false, ParallelSafe = true, TimeoutSeconds = 5), Description("Never returns and ignores cancellation")]
    public Task<string> Hang() => new TaskCompletionSource<string>().Task;

    [KernelFunction("bg_throw"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Throws on a background thread")]
    public async Task<string> BackgroundThrow()
    {
        await Task.Run(() => throw new InvalidOperationException("thrown on a worker thread"));
        return "unreachable";
    }
}
