using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Models;

/// <summary>Wraps the model client (outside the retry layer), e.g. to journal or log every model call.
/// Decorators registered first end up outermost. The task id of a call is in
/// <c>ChatOptions.AdditionalProperties["moltworker.task"]</c>.</summary>
public interface IChatClientDecorator
{
    IChatClient Decorate(IChatClient inner);
}
