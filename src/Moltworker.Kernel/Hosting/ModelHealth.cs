using Microsoft.Extensions.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "model": configured, which model, whether the endpoint answers (<c>reachable</c>, with the
/// HTTP <c>status</c>) and whether it looks like an OpenAI-compatible API (<c>compatible</c>); checked every 30 s at most.</summary>
public sealed class ModelHealth(ModelAccess models, IOptions<LlmOptions> options, TimeProvider time) : IHealthContributor
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private ModelEndpointCheck? _last;

    public string Name => "model";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        if (!models.IsConfigured)
            return new HealthEntry(true, new { configured = false }, ModelAccess.HowToConfigure);
        var last = Volatile.Read(ref _last);
        if (last is null || time.GetUtcNow() - last.At > TimeSpan.FromSeconds(30))
        {
            last = await ModelEndpointProbe.CheckAsync(Http, options.Value.BaseUrl, options.Value.ApiKey, time, cancellationToken);
            Volatile.Write(ref _last, last);
        }
        return new HealthEntry(last.Healthy, new
        {
            configured = true,
            model = models.Model.Id,
            reachable = last.Reachable,
            error = last.Error,
            status = last.Status,
            compatible = last.Compatible,
        }, last.Hint);
    }
}
