namespace Moltworker.Storage.Sqlite;
