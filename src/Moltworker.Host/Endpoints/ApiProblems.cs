using Microsoft.AspNetCore.Http;

namespace Moltworker.Host.Endpoints;

/// <summary>The HTTP API's refusals as RFC 9457 problem details (<c>application/problem+json</c> with <c>type</c>,
/// <c>title</c>, <c>status</c> and <c>detail</c>).</summary>
public static class ApiProblems
{
    private const string Rfc9110 = "https://www.rfc-editor.org/rfc/rfc9110#section-";

    public static IResult BadRequest(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid", type: Rfc9110 + "15.5.1");

    public static IResult Unauthorized(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "An API key is needed", type: Rfc9110 + "15.5.2");

    public static IResult Forbidden(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "The API key may not do this", type: Rfc9110 + "15.5.4");

    public static IResult NotFound(string title, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title, type: Rfc9110 + "15.5.5");

    public static IResult UnsupportedMediaType(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type", type: Rfc9110 + "15.5.16");

    public static IResult TooLarge(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The message is too large", type: Rfc9110 + "15.5.14");

    public static IResult TooManyRequests(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4");

    public static IResult Unavailable(string title, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title, type: Rfc9110 + "15.6.4");
}
