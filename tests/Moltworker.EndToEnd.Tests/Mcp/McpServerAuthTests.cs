using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary><c>/mcp</c> needs a key with the <c>tools</c> scope once a key exists: none, a wrong one and a revoked one get
/// 401, a key of another scope 403; a <c>tools</c> key (or an admin key) lists and calls tools.</summary>
public sealed class McpServerAuthTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"auth-test","version":"1"}}}""";

    [Fact]
    public async Task Only_a_key_with_the_tools_scope_reaches_the_tools()
    {
        await using var host = await McpHost.StartAsync();
        var keys = host.Host.Services.GetRequiredService<IApiKeyStore>();
        var toolsKey = await CreateAsync(keys, "agent", ApiScopes.Tools);
        var readKey = await CreateAsync(keys, "reader", ApiScopes.Read);
        var chatKey = await CreateAsync(keys, "chatter", ApiScopes.Chat);
        var adminKey = await CreateAsync(keys, "ops", ApiScopes.Admin);
        var revokedKey = await CreateAsync(keys, "gone", ApiScopes.Tools);
        Assert.True(await keys.RevokeAsync("gone", CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host, key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host, "not-a-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(host, revokedKey));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, readKey));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(host, chatKey));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(host, toolsKey));
        // A tools key reaches nothing else.
        using (var chat = new HttpRequestMessage(HttpMethod.Get, "/api/tasks"))
        {
            chat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", toolsKey);
            using var refused = await host.Http.SendAsync(chat);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await using (var client = await host.ConnectAsync(toolsKey))
        {
            var result = await client.CallToolAsync("mcp_lookup", new Dictionary<string, object?> { ["word"] = "key" });
            Assert.Equal("key: found", McpHost.TextOf(result));
            // The call's task is the key's: channel mcp, chat and user the key's name.
            var task = await TaskWithAdminAsync(host, adminKey, McpHost.TaskOf(result));
            Assert.Contains("\"chatId\":\"agent\"", task, StringComparison.Ordinal);
        }
        await using (var admin = await host.ConnectAsync(adminKey))
            Assert.Contains(await admin.ListToolsAsync(), t => t.Name == "mcp_lookup");
        await Assert.ThrowsAnyAsync<Exception>(() => host.ConnectAsync(readKey));
    }

    private static async Task<HttpStatusCode> PostAsync(McpHost host, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> TaskWithAdminAsync(McpHost host, string adminKey, string taskId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{taskId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> CreateAsync(IApiKeyStore keys, string name, string scope)
    {
        var key = ApiKeyText.Generate();
        Assert.True(await keys.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), [scope], DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }
}
