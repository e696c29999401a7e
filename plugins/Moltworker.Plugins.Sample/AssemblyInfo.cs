namespace Moltworker.Plugins.Sample;
