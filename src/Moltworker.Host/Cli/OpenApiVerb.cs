using System.CommandLine;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Host.Composition;
using Moltworker.Host.Endpoints.OpenApi;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker openapi [--output FILE]</c>: generates the HTTP API's OpenAPI 3.1 document from the routes
/// the host maps (the host is built, not started) and prints it, or writes it to a file. The host serves the copy in
/// <see cref="ApiDocument.ShippedFile"/>; regenerate it with this verb after changing a route.</summary>
public sealed class OpenApiVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var output = new Option<FileInfo?>("--output") { Description = "Write the document to this file instead of standard output" };
        var command = new Command("openapi", $"Generate the HTTP API's OpenAPI document from the routes (the host serves {ApiDocument.ShippedFile}, " +
                                             "regenerated with: openapi --output " + ApiDocument.ShippedFile + "). Docs: docs/api.md") { output };
        command.SetAction(async (parse, ct) =>
        {
            var json = await GenerateAsync([.. parse.UnmatchedTokens, .. host.Settings], ct);
            if (parse.GetValue(output) is { } file) await File.WriteAllTextAsync(file.FullName, json, ct);
            else await Console.Out.WriteAsync(json);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Builds the host with the document generator (<see cref="ApiDocument.AddApiDocument"/>) and generates.
    /// The routes reach the generator's endpoint source when the request pipeline is built, which happens when a host
    /// starts; this one never starts, so the generator is given the mapped routes directly.</summary>
    public static async Task<string> GenerateAsync(string[] args, CancellationToken cancellationToken)
    {
        var routes = new List<EndpointDataSource>();
        // The operations' default tag is the application's name, which is the entry assembly's unless set: the same
        // document whatever process generates it (the CLI, a test host).
        args = [$"--{HostDefaults.ApplicationKey}={typeof(ApiDocument).Assembly.GetName().Name}", .. args];
        await using var app = WebHostFactory.Build(args, builder => builder.Services
            .AddApiDocument()
            .AddSingleton<EndpointDataSource>(_ => new CompositeEndpointDataSource(routes)));
        routes.AddRange(((IEndpointRouteBuilder)app).DataSources);
        return await ApiDocument.GenerateAsync(app.Services, cancellationToken);
    }
}
