using Npgsql;
using Moltworker.Kernel.Feedback;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Feedback;

/// <summary><see cref="IFeedbackStore"/> in the <c>feedback</c> table (module "feedback", as on SQLite).</summary>
public sealed class PostgresFeedbackStore(PostgresDatabase db) : IFeedbackStore
{
    public Task<FeedbackRecord> AddAsync(FeedbackRecord feedback, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO feedback (task_id, rating, note, given_by, created_at) VALUES (@t, @r, @n, @b, @c) RETURNING id", c)
                .With("t", feedback.TaskId).With("r", feedback.Rating).With("n", feedback.Note).With("b", feedback.By).With("c", feedback.CreatedAt);
            var id = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
            return feedback with { Id = id };
        }, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> ListAsync(string? taskId, int limit, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<FeedbackRecord>>(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT id, task_id, rating, note, given_by, created_at FROM feedback WHERE (@t IS NULL OR task_id = @t) ORDER BY id DESC LIMIT @l", c)
                .With("t", taskId).With("l", limit);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var rows = new List<FeedbackRecord>();
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new FeedbackRecord(reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    reader.GetTime(5)) { Id = reader.GetInt64(0) });
            return rows;
        }, cancellationToken);
}
