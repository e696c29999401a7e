using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Hosting;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class FilterOrderTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_registered_filter_has_its_place_in_FilterOrder_whichever_extension_registers_first(bool kernelFirst)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();
        if (kernelFirst) services.AddMoltworkerKernel(configuration).AddMoltworkerFilters(configuration);
        else services.AddMoltworkerFilters(configuration).AddMoltworkerKernel(configuration);

        Assert.Equal(FilterOrder.Turn, Sorted<ITurnFilter>(services, FilterOrder.Turn));
        Assert.Equal(FilterOrder.Batch, Sorted<IBatchFilter>(services, FilterOrder.Batch));
        Assert.Equal(FilterOrder.Call, Sorted<ICallFilter>(services, FilterOrder.Call));
        Assert.Equal(FilterOrder.Function, Sorted<ICallFunctionFilter>(services, FilterOrder.Function));
    }

    [Fact]
    public void Sort_follows_the_list_and_puts_unlisted_filters_inside_in_registration_order()
    {
        object[] registered = ["unlisted-1", 2.0, 1, "unlisted-2"];
        var sorted = FilterOrder.Sort(registered, [typeof(int), typeof(double)]);
        Assert.Equal([1, 2.0, "unlisted-1", "unlisted-2"], sorted);
    }

    /// <summary>The registered implementation types of <typeparamref name="T"/>, in the listed order when each is
    /// listed once (anything unlisted or missing makes the comparison fail).</summary>
    private static IReadOnlyList<Type> Sorted<T>(ServiceCollection services, IReadOnlyList<Type> order)
    {
        var types = services.Where(d => d.ServiceType == typeof(T)).Select(d => d.ImplementationType!).ToList();
        return types.OrderBy(t => order.Contains(t) ? order.ToList().IndexOf(t) : int.MaxValue).ToList();
    }
}
