namespace Moltworker.Host.Cli;

/// <summary>
/// Configuration settings on the command line, in either form: <c>--Moltworker:Llm:Model=gpt-4o</c> or
/// <c>--Moltworker:Llm:Model gpt-4o</c>, with <c>:</c> or <c>__</c> between the parts (like environment variables).
/// A setting is an option whose name contains <c>:</c> or <c>__</c>; the verbs' own options never do, so
/// <c>--chat c1</c>, <c>--top 3</c>, <c>--json</c>, <c>--urls …</c> are left alone. Everything after a bare <c>--</c> is too.
/// </summary>
public static class ConfigurationArguments
{
    /// <summary>True for <c>--Section:Key</c>, <c>--Section__Key</c>, with or without <c>=value</c>.</summary>
    public static bool IsSetting(string token)
    {
        if (token.Length < 3 || !token.StartsWith("--", StringComparison.Ordinal)) return false;
        var separator = token.IndexOf('=');
        var name = separator < 0 ? token.AsSpan(2) : token.AsSpan(2, separator - 2);
        return name.Length > 0 && (name.Contains(':') || name.Contains("__", StringComparison.Ordinal));
    }

    /// <summary>
    /// Takes the settings out of the command line, each as one <c>--Section:Key=value</c> token (the value is the next
    /// token when there is no <c>=</c>), and leaves the rest in order for the verbs. Taken out before parsing, a
    /// setting can never fill a verb's argument (<c>ask</c>'s text, <c>ingest</c>'s paths).
    /// </summary>
    /// <exception cref="CliUsageException">A setting without <c>=</c> is last, or followed by another option.</exception>
    public static (string[] Arguments, string[] Settings) Split(IReadOnlyList<string> args)
    {
        var arguments = new List<string>(args.Count);
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token == "--")
            {
                arguments.AddRange(args.Skip(i));
                break;
            }
            if (!IsSetting(token))
            {
                arguments.Add(token);
                continue;
            }
            var separator = token.IndexOf('=');
            string name, value;
            if (separator >= 0)
            {
                name = token[2..separator];
                value = token[(separator + 1)..];
            }
            else
            {
                name = token[2..];
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new CliUsageException($"{token} needs a value: {token}=value or {token} value");
                value = args[++i];
            }
            settings.Add($"--{name.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }
        return ([.. arguments], [.. settings]);
    }
}
