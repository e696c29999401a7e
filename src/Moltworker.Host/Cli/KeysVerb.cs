using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker keys create --name ci --scopes chat,read,admin | list | revoke &lt;name&gt;</c>: the HTTP API's keys.
/// A key is printed once, when it is made; only its SHA-256 hash is stored.</summary>
public sealed class KeysVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var name = new Option<string>("--name") { Description = "A name for the key (who or what uses it)", Required = true };
        var scopes = new Option<string>("--scopes") { Description = $"Comma-separated scopes: {string.Join(", ", ApiScopes.All)} (admin may do everything)", DefaultValueFactory = _ => ApiScopes.Chat };
        var create = new Command("create", "Make an API key and print it (once: it is stored only as a hash)") { name, scopes };
        create.SetAction(async (parse, ct) =>
        {
            var wanted = parse.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
            if (wanted.Count == 0 || wanted.Any(s => !ApiScopes.All.Contains(s)))
                throw new CliUsageException($"--scopes must list one or more of {string.Join(", ", ApiScopes.All)}");
            var keyName = parse.GetValue(name)!.Trim();
            if (keyName.Length is 0 or > 100) throw new CliUsageException("--name must be 1 to 100 characters");
            using var app = await host.CreateAsync(ct);
            var key = ApiKeyText.Generate();
            var record = new ApiKeyRecord(keyName, ApiKeyText.Hash(key), wanted, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (!await app.Services.GetRequiredService<IApiKeyStore>().CreateAsync(record, ct))
            {
                await Console.Error.WriteLineAsync($"error: a key named '{keyName}' exists; revoke it first or pick another name");
                return 1;
            }
            Console.WriteLine(key);
            await Console.Error.WriteLineAsync($"Key '{keyName}' ({string.Join(",", wanted)}) made. It is shown only now; send it as 'Authorization: Bearer <key>'.");
            return 0;
        });

        var list = new Command("list", "List API keys (names, scopes, dates; never the keys)");
        list.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var table = new CliTable("NAME", "SCOPES", "CREATED", "REVOKED");
            foreach (var k in await app.Services.GetRequiredService<IApiKeyStore>().ListAsync(ct))
                table.AddRow(k.Name, string.Join(",", k.Scopes), Time(k.CreatedAt), k.RevokedAt is { } r ? Time(r) : "");
            table.Print();
            return 0;
        });

        var revokeName = new Argument<string>("name") { Description = "The key's name" };
        var revoke = new Command("revoke", "Revoke an API key: requests with it get 401 at once") { revokeName };
        revoke.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var keyName = parse.GetValue(revokeName)!;
            if (!await app.Services.GetRequiredService<IApiKeyStore>().RevokeAsync(keyName, ct))
            {
                await Console.Error.WriteLineAsync($"error: no key named '{keyName}' that is not revoked");
                return 1;
            }
            Console.WriteLine($"Key '{keyName}' revoked.");
            return 0;
        });

        return new Command("keys", "The HTTP API's keys: make one (shown once), list them, revoke one. Docs: docs/security.md#api-keys") { create, list, revoke };
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
