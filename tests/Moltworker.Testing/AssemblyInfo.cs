namespace Moltworker.Testing;
