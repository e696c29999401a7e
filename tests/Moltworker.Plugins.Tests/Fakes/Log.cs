using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moltworker.Plugins.Tests.Fakes;

public static class Log
{
    public static ILogger<T> For<T>() => NullLogger<T>.Instance;
}
