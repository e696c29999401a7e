using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Feedback;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Feedback;

/// <summary><see cref="IFeedbackStore"/> in the <c>feedback</c> table.</summary>
public sealed class SqliteFeedbackStore(SqliteDatabase db) : IFeedbackStore
{
    public Task<FeedbackRecord> AddAsync(FeedbackRecord feedback, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO feedback (task_id, rating, note, given_by, created_at) VALUES ($t, $r, $n, $b, $c) RETURNING id";
            cmd.Parameters.AddWithValue("$t", feedback.TaskId);
            cmd.Parameters.AddWithValue("$r", feedback.Rating);
            cmd.Parameters.AddWithValue("$n", (object?)feedback.Note ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$b", feedback.By);
            cmd.Parameters.AddWithValue("$c", feedback.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            return feedback with { Id = id };
        }, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> ListAsync(string? taskId, int limit, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<FeedbackRecord>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, task_id, rating, note, given_by, created_at FROM feedback WHERE ($t IS NULL OR task_id = $t) ORDER BY id DESC LIMIT $l";
            cmd.Parameters.AddWithValue("$t", (object?)taskId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$l", limit);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var rows = new List<FeedbackRecord>();
            while (await reader.ReadAsync(cancellationToken)) rows.Add(Read(reader));
            return rows;
        }, cancellationToken);

    private static FeedbackRecord Read(SqliteDataReader reader) =>
        new(reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
            DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)) { Id = reader.GetInt64(0) };
}
