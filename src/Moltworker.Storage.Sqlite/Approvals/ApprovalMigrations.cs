using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Approvals;

/// <summary>Schema of the "approvals" module: requests for a person's approval of a tool call (one per call, by its
/// idempotency key) and the "always in this chat" grants.</summary>
public static class ApprovalMigrations
{
    public static readonly SqliteMigration V1 = new("approvals", 1, """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            call_key TEXT NOT NULL UNIQUE,
            task_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            reason TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            decided_by TEXT,
            decided_at TEXT);
        CREATE INDEX ix_approvals_pending ON approvals (expires_at) WHERE status = 'Pending';
        CREATE INDEX ix_approvals_task ON approvals (task_id);
        CREATE TABLE approval_grants (
            conversation TEXT NOT NULL,
            tool TEXT NOT NULL,
            until TEXT NOT NULL,
            granted_by TEXT NOT NULL,
            PRIMARY KEY (conversation, tool));
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
