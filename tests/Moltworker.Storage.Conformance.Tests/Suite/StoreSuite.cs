using Moltworker.Storage.Conformance.Tests.Providers;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>
/// The base of every conformance class: each test gets the stores of one provider on a fresh, empty database
/// (<see cref="CreateStoresAsync"/>), so tests are independent and classes run in parallel. A provider whose server is
/// missing skips the test with <see cref="SkipReason"/> (tests use <c>[SkippableFact]</c> and call <see cref="Stores"/>).
/// </summary>
public abstract class StoreSuite : IAsyncLifetime
{
    private IStoreSet? _stores;

    /// <summary>Why this provider cannot run here, or null.</summary>
    protected virtual string? SkipReason => null;

    protected abstract Task<IStoreSet> CreateStoresAsync();

    /// <summary>The stores under test; skips the test when the provider cannot run here.</summary>
    protected IStoreSet Stores
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return _stores ?? throw new InvalidOperationException("The stores were not created.");
        }
    }

    public async Task InitializeAsync()
    {
        if (SkipReason is null) _stores = await CreateStoresAsync();
    }

    public async Task DisposeAsync()
    {
        if (_stores is not null) await _stores.DisposeAsync();
    }
}
