using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Approvals;

namespace Moltworker.Host.Endpoints.Approvals;

/// <summary>
/// <c>GET /api/approvals</c> (read scope): the pending requests with their task and chat.
/// <c>POST /api/approvals/{id}</c> <c>{"approve": true|false, "remember": false}</c> (chat scope): answers one. An admin
/// key answers any request; a chat key answers only the HTTP channel's own requests (that channel knows its users by
/// the key alone); others get 403. An answered or expired request gets 409, an unknown id 404, each with a problem body.
/// An approval resumes the task in the background; the response does not wait for the turn.
/// </summary>
public static class ApprovalsApi
{
    private const string Rfc9110 = "https://www.rfc-editor.org/rfc/rfc9110#section-";

    public sealed record AnswerRequest(bool? Approve, bool Remember = false);

    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/approvals").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("", async (IApprovalStore store, CancellationToken ct) =>
            Results.Ok(new { approvals = (await store.ListPendingAsync(500, ct)).Select(View) })).RequireAuthorization(ApiScopes.Read)
            .WithSummary("Pending approval requests");
        api.MapPost("/{id}", async (string id, HttpContext context, IApprovalStore store, ApprovalResolver resolver, ApprovalResumer resumer, CancellationToken ct) =>
        {
            AnswerRequest? answer;
            try { answer = await context.Request.ReadFromJsonAsync<AnswerRequest>(ct); }
            catch (JsonException ex) { return ApiProblems.BadRequest($"the body is not valid JSON: {ex.Message}"); }
            catch (InvalidOperationException) { return ApiProblems.UnsupportedMediaType("the body must be JSON (Content-Type: application/json)"); }
            if (answer?.Approve is not { } approve) return ApiProblems.BadRequest("approve (true or false) is required");

            var request = await store.GetAsync(id, ct);
            if (request is null) return NotFound(id);
            var decider = Decider(context.User, request);
            if (decider is null) return ApiProblems.Forbidden("only an admin key answers requests of other channels than http");
            var decision = await resolver.DecideAsync(id, approve, answer.Remember, decider, ct);
            switch (decision.Answer)
            {
                case ApprovalAnswer.NotFound: return NotFound(id);
                case ApprovalAnswer.NotAllowed: return ApiProblems.Forbidden("this key may not answer this request");
                case ApprovalAnswer.AlreadyAnswered: return Conflict(decision.Request!);
            }
            await resumer.StartAsync(decision.Request!.TaskId, ct);
            return Results.Ok(View(decision.Request));
        }).RequireAuthorization(ApiScopes.Chat).Accepts<AnswerRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).WithSummary("Approve or deny a request");
        return endpoints;
    }

    private static ApprovalDecider? Decider(ClaimsPrincipal user, ApprovalRequest request)
    {
        var key = user.FindFirst(ApiRateLimits.KeyNameClaim)?.Value ?? "loopback";
        if (user.HasClaim(ApiScopes.Claim, ApiScopes.Admin)) return new ApprovalDecider("http", key, IsOperator: true);
        return request.Address.Channel == "http" ? new ApprovalDecider("http", key, IsOperator: true) : null;
    }

    private static object View(ApprovalRequest r) => new
    {
        id = r.Id, taskId = r.TaskId, channel = r.Address.Channel, chatId = r.Address.ChatId, userId = r.Address.UserId,
        tool = r.Tool, arguments = r.Arguments, reason = r.Reason, status = r.Status.ToString(),
        createdAt = r.CreatedAt, expiresAt = r.ExpiresAt, decidedBy = r.DecidedBy, decidedAt = r.DecidedAt,
    };

    private static IResult NotFound(string id) =>
        Results.Problem($"there is no approval request {id}", statusCode: StatusCodes.Status404NotFound, title: "No such approval request", type: Rfc9110 + "15.5.5");

    private static IResult Conflict(ApprovalRequest request) =>
        Results.Problem($"approval request {request.Id} was already answered: {request.Status.ToString().ToLowerInvariant()}" +
                        (request.DecidedBy is null ? "" : $" by {request.DecidedBy}") + "; nothing changed",
            statusCode: StatusCodes.Status409Conflict, title: "Already answered", type: Rfc9110 + "15.5.10");
}
