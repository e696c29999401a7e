using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Cli;

/// <summary>
/// Turns an error that stops the process into one clear line on standard error and an exit code from
/// <see cref="ExitCodes"/>. The stack trace follows only with <c>--verbose</c>.
/// </summary>
public static class FatalError
{
    /// <summary>The exit code and the line for <paramref name="error"/>.</summary>
    public static (int ExitCode, string Line) Describe(Exception error)
    {
        var chain = Chain(error).ToList();
        if (chain.OfType<StorageException>().FirstOrDefault() is { } storage)
            return (ExitCodes.Storage, storage.Message);
        if (chain.OfType<OptionsValidationException>().FirstOrDefault() is { } options)
            return (ExitCodes.Configuration, "Invalid configuration: " + string.Join(" ", options.Failures));
        if (chain.OfType<SocketException>().FirstOrDefault(s => s.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable) is { } socket)
            return (ExitCodes.Unavailable, $"Cannot listen: {Innermost(chain, socket).Message} Choose another address with --urls.");
        if (chain.OfType<IOException>().FirstOrDefault(e => e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) is { } bind)
            return (ExitCodes.Unavailable, $"Cannot listen: {bind.Message} Choose another address with --urls.");
        return (ExitCodes.Software, $"{error.GetType().Name}: {OneLine(error.Message)}");
    }

    /// <summary>Writes the line (and with <paramref name="verbose"/> the whole exception) and returns the exit code.</summary>
    public static int Report(Exception error, bool verbose, TextWriter stderr)
    {
        var (code, line) = Describe(error);
        stderr.WriteLine($"error: {OneLine(line)}");
        if (verbose) stderr.WriteLine(error.ToString());
        return code;
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        var queue = new Queue<Exception>([error]);
        while (queue.TryDequeue(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) queue.Enqueue(inner);
            else if (e.InnerException is { } inner) queue.Enqueue(inner);
        }
    }

    private static Exception Innermost(List<Exception> chain, Exception fallback) =>
        chain.OfType<IOException>().FirstOrDefault() ?? fallback;

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
