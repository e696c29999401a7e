using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Arguments: --exit-at-start <code> writes a line to stderr and exits before speaking MCP.
if (args.Length >= 2 && args[0] == "--exit-at-start")
{
    Console.Error.WriteLine("test server: refusing to start (asked to)");
    return int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
}

var tools = new McpServerPrimitiveCollection<McpServerTool>();
tools.Add(McpServerTool.Create((string text) => $"echo: {text}", new() { Name = "echo", Description = "Echoes the text", ReadOnly = true }));
tools.Add(McpServerTool.Create((string reason) => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"it broke: {reason}" }] },
    new() { Name = "fail", Description = "Answers with an MCP error result" }));
tools.Add(McpServerTool.Create((string text) => $"dotted: {text}", new() { Name = "files.read", Description = "A name OpenAI would refuse" }));
tools.Add(McpServerTool.Create((string name) => Environment.GetEnvironmentVariable(name) ?? "(unset)",
    new() { Name = "env", Description = "Reads an environment variable of the server process", ReadOnly = true }));
tools.Add(McpServerTool.Create(async (string name, McpServer server) =>
{
    tools.Add(McpServerTool.Create((string text) => $"{name}: {text}", new() { Name = name, Description = "Added while running" }));
    await server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification);
    return $"added {name}";
}, new() { Name = "add_tool", Description = "Adds a tool (the server then sends notifications/tools/list_changed)" }));
tools.Add(McpServerTool.Create((int code) =>
{
    _ = Task.Run(async () => { await Task.Delay(50); Environment.Exit(code); });
    return $"exiting with {code}";
}, new() { Name = "exit", Description = "Ends the server process" }));

tools.Add(McpServerTool.Create(async (CancellationToken cancellationToken) =>
{
    await Task.Delay(Timeout.Infinite, cancellationToken);
    return "never";
}, new() { Name = "hang", Description = "Never answers (until the call is cancelled)", ReadOnly = true }));

var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "moltworker-test-server", Version = "1.2.3" },
    Capabilities = new ServerCapabilities { Tools = new ToolsCapability { ListChanged = true } },
    ToolCollection = tools,
};
await using var server = McpServer.Create(new StdioServerTransport("moltworker-test-server"), options);
await server.RunAsync();
return 0;
