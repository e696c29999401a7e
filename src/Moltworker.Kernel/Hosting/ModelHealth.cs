using Microsoft.Extensions.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "model": configured, which model, and whether the endpoint answers (cached 30 s).</summary>
public sealed class ModelHealth(ModelAccess models, IOptions<LlmOptions> options, TimeProvider time) : IHealthContributor
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private (DateTimeOffset At, bool Reachable, string? Error) _last;

    public string Name => "model";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        if (!models.IsConfigured)
            return new HealthEntry(true, new { configured = false }, ModelAccess.HowToConfigure);
        if (time.GetUtcNow() - _last.At > TimeSpan.FromSeconds(30)) _last = await ProbeAsync(cancellationToken);
        return new HealthEntry(_last.Reachable, new { configured = true, model = models.Model.Id, reachable = _last.Reachable, error = _last.Error });
    }

    private async Task<(DateTimeOffset, bool, string?)> ProbeAsync(CancellationToken cancellationToken)
    {
        var baseUrl = (options.Value.BaseUrl ?? "https://api.openai.com/v1").TrimEnd('/');
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/models");
            if (!string.IsNullOrWhiteSpace(options.Value.ApiKey)) request.Headers.Authorization = new("Bearer", options.Value.ApiKey);
            using var response = await Http.SendAsync(request, cancellationToken);
            // Any HTTP answer means the endpoint is reachable; 401/403 means the key is wrong.
            var error = (int)response.StatusCode is 401 or 403 ? $"the endpoint refused the API key ({(int)response.StatusCode})" : null;
            return (time.GetUtcNow(), error is null, error);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (time.GetUtcNow(), false, ex.Message);
        }
    }
}
