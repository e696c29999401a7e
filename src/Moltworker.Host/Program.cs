using Moltworker.Host.Cli;
using Moltworker.Host.Runtime;

NativeHeap.LimitArenas();
NativeHeap.MapLargeBlocks();
using var trimmer = NativeHeap.StartTrimming();
return await MoltworkerCli.RunAsync(args);
