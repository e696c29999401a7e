namespace Moltworker.Plugins.BuiltIn;
