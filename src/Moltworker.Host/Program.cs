using Moltworker.Host.Cli;
using Moltworker.Host.Runtime;

NativeHeap.LimitArenas();
using var trimmer = NativeHeap.StartTrimming();
return await MoltworkerCli.RunAsync(args);
