namespace Moltworker.Knowledge;
