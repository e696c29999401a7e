namespace Moltworker.Kernel.RateLimiting;

/// <summary>Whom a limit counts: a user on one channel (the same id on two channels is two users).</summary>
/// <param name="Channel">The channel's name, e.g. <c>telegram</c>.</param>
/// <param name="UserId">The user's id on that channel.</param>
public readonly record struct RateLimitedUser(string Channel, string UserId);
