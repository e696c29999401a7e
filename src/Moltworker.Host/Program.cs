using Moltworker.Host.Cli;

return await MoltworkerCli.RunAsync(args);
