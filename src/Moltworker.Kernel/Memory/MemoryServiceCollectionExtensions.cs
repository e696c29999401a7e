using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Commands.BuiltIn;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Memory.Tools;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Memory;

public static class MemoryServiceCollectionExtensions
{
    /// <summary>Long-term memory per user: options (validated at start) and, when <c>Moltworker:Memory:Enabled</c> (the
    /// default), the memory tools, <c>/memory</c> and the system-prompt section. The store is the storage provider's
    /// (<see cref="IMemoryStore"/>), the ranking the knowledge engine's (<see cref="IMemoryRanker"/>, registered by
    /// <c>AddKnowledge</c>).</summary>
    public static IServiceCollection AddMemory(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MemoryOptions.Section);
        services.AddOptions<MemoryOptions>().Bind(section)
            .Validate(o => o.PromptTokens >= 0, "Moltworker:Memory:PromptTokens must not be negative.")
            .Validate(o => o.PromptMemories >= 0, "Moltworker:Memory:PromptMemories must not be negative.")
            .Validate(o => o.MaxPerUser >= 1, "Moltworker:Memory:MaxPerUser must be at least 1.")
            .Validate(o => o.MaxLength >= 1, "Moltworker:Memory:MaxLength must be at least 1.")
            .Validate(o => o.MinSimilarity is >= -1 and <= 1, "Moltworker:Memory:MinSimilarity must be between -1 and 1.")
            .ValidateOnStart();
        if (!(section.GetValue<bool?>(nameof(MemoryOptions.Enabled)) ?? true)) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemoryService>();
        services.AddSingleton<ISystemPromptSection, MemoryPromptSection>();
        services.AddSingleton<IBuiltInCommand, MemoryCommand>();
        services.AddPlugin<MemoryPlugin>();
        return services;
    }
}
