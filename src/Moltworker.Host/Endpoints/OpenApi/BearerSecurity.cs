using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Moltworker.Host.Endpoints.OpenApi;

/// <summary>Declares the API key as the document's <c>Bearer</c> scheme (HTTP bearer, <c>Authorization: Bearer mwk_…</c>)
/// and gives every operation that has an authorization policy a security requirement naming its scope.</summary>
public sealed class BearerSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string SchemeName = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSecurityScheme>(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key made with `moltworker keys create --name <name> --scopes chat,read,admin,tools`. " +
                          "A request from loopback needs none while no key exists. Each operation names the scope it needs; admin may do everything.",
        });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var scopes = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0) return Task.CompletedTask;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scopes }];
        var needs = $"Needs an API key with the `{string.Join("` or `", scopes)}` scope (or `admin`).";
        operation.Description = string.IsNullOrEmpty(operation.Description) ? needs : operation.Description + "\n\n" + needs;
        return Task.CompletedTask;
    }
}
