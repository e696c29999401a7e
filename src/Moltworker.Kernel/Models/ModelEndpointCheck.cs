namespace Moltworker.Kernel.Models;

/// <summary>
/// What <c>GET &lt;BaseUrl&gt;/models</c> showed. <see cref="Reachable"/>: an HTTP answer came back (any status).
/// <see cref="Compatible"/>: the answer is an OpenAI model list (true), or plainly is not one, e.g. a 404 or a web
/// page (false); null when it cannot be told (a refused key, a server error, no answer).
/// </summary>
public sealed record ModelEndpointCheck(DateTimeOffset At, bool Reachable, int? Status, bool? Compatible, string? Error, string? Hint)
{
    /// <summary>The endpoint answered with a model list.</summary>
    public bool Healthy => Reachable && Compatible == true && Error is null;
}
