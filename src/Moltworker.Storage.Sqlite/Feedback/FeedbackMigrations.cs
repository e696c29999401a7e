using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Feedback;

/// <summary>Schema of the "feedback" module: ratings of tasks (<c>POST /api/feedback</c>).</summary>
public static class FeedbackMigrations
{
    public static readonly SqliteMigration V1 = new("feedback", 1, """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            note TEXT,
            given_by TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX ix_feedback_task ON feedback (task_id, id);
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
