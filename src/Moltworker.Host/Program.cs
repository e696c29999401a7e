using Moltworker.Host.Cli;
using Moltworker.Host.Runtime;

NativeHeap.LimitArenas();
return await MoltworkerCli.RunAsync(args);
