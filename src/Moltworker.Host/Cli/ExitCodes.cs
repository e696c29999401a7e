namespace Moltworker.Host.Cli;

/// <summary>
/// What the process's exit code means. The fatal codes follow BSD's sysexits.h, so a supervisor can tell a stop
/// that needs a person (configuration, storage) from one that a restart may cure.
/// </summary>
public static class ExitCodes
{
    /// <summary>Finished normally (or stopped by a signal).</summary>
    public const int Ok = 0;

    /// <summary>A verb failed in its own terms, or the command line could not be read.</summary>
    public const int Failed = 1;

    /// <summary>The host could not run a service it needed for a reason none of the codes below names.</summary>
    public const int Software = 70;

    /// <summary>The address to listen on is taken or not allowed (<c>--urls</c>, <c>ASPNETCORE_URLS</c>).</summary>
    public const int Unavailable = 69;

    /// <summary>The database cannot be opened or written (<c>Moltworker:DataDirectory</c> read-only, missing, full, corrupt).</summary>
    public const int Storage = 74;

    /// <summary>Required configuration is missing or invalid (options validated at start).</summary>
    public const int Configuration = 78;
}
