using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary>
/// The authorization policies of <see cref="ApiScopes"/>, looked up by name as ASP.NET's default provider does, but
/// without ASP.NET's per-endpoint policy cache. That cache is made when the authorization middleware is, while the
/// host builds its request pipeline, and it builds every endpoint of every route there and then (request delegates
/// included), before the host listens; routing builds them again on the first request. Without it the endpoints are
/// built once, on the first request that needs routing; each request then combines its endpoint's one named policy
/// itself (a dictionary lookup).
/// </summary>
public sealed class ScopePolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public override bool AllowsCachingPolicies => false;
}
