using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

/// <summary>Conversations and messages. /reset bumps the conversation's generation: old messages stay on disk
/// but are no longer loaded. A turn's messages are appended together with its row in <c>turns</c> (keyed by the task
/// id) in one transaction, so a turn is in the conversation exactly once or not at all. A compaction's summary is one
/// row in <c>conversation_summaries</c> (module "compaction"): a turn reads the latest and the messages after it.</summary>
public sealed class SqliteConversationStore(SqliteDatabase db, TimeProvider time) : IConversationStore
{
    private const string InputTokensKey = MessageProperties.InputTokens;
    private const string OutputTokensKey = MessageProperties.OutputTokens;

    public Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ChatMessage>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT m.content_json FROM messages m JOIN conversations v ON v.key = m.conversation_key AND v.generation = m.generation
                WHERE m.conversation_key = $k ORDER BY m.id DESC LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$k", conversationKey);
            cmd.Parameters.AddWithValue("$n", Math.Max(0, maxMessages));
            var list = new List<ChatMessage>();
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                list.Add(JsonSerializer.Deserialize<ChatMessage>(reader.GetString(0), AIJsonUtilities.DefaultOptions)!);
            list.Reverse();
            // Never start with tool traffic whose call is cut off: begin at the first user message.
            var first = list.FindIndex(m => m.Role == ChatRole.User);
            return first < 0 ? [] : list.GetRange(first, list.Count - first);
        }, cancellationToken);

    public Task<ConversationHistory> LoadHistoryAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            ConversationSummary? summary = null;
            await using (var latest = c.CreateCommand())
            {
                latest.CommandText = $"""
                    SELECT {SummaryColumns} FROM conversation_summaries s
                    JOIN conversations v ON v.key = s.conversation_key AND v.generation = s.generation
                    WHERE s.conversation_key = $k ORDER BY s.through_id DESC LIMIT 1
                    """;
                latest.Parameters.AddWithValue("$k", conversationKey);
                await using var reader = await latest.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken)) summary = ReadSummary(reader);
            }
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT m.id, m.content_json FROM messages m JOIN conversations v ON v.key = m.conversation_key AND v.generation = m.generation
                WHERE m.conversation_key = $k AND m.id > $after ORDER BY m.id DESC LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$k", conversationKey);
            cmd.Parameters.AddWithValue("$after", summary?.ThroughId ?? 0);
            cmd.Parameters.AddWithValue("$n", Math.Max(0, maxMessages));
            var list = new List<StoredMessage>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    list.Add(new StoredMessage(reader.GetInt64(0), JsonSerializer.Deserialize<ChatMessage>(reader.GetString(1), AIJsonUtilities.DefaultOptions)!));
            list.Reverse();
            return new ConversationHistory(summary, StoredHistory.Trim(list, maxMessages));
        }, cancellationToken);

    public Task<ConversationSummary> SaveSummaryAsync(string conversationKey, ConversationSummary summary, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using (var insert = c.CreateCommand())
            {
                insert.CommandText = """
                    INSERT INTO conversation_summaries (conversation_key, generation, through_id, summary, messages, tokens_before, tokens_after, truncated, created_at)
                    SELECT key, generation, $id, $s, $m, $b, $a, $x, $t FROM conversations WHERE key = $k
                    ON CONFLICT (conversation_key, generation, through_id) DO NOTHING
                    """;
                insert.Parameters.AddWithValue("$k", conversationKey);
                insert.Parameters.AddWithValue("$id", summary.ThroughId);
                insert.Parameters.AddWithValue("$s", summary.Text);
                insert.Parameters.AddWithValue("$m", summary.Messages);
                insert.Parameters.AddWithValue("$b", summary.TokensBefore);
                insert.Parameters.AddWithValue("$a", summary.TokensAfter);
                insert.Parameters.AddWithValue("$x", summary.Truncated ? 1 : 0);
                insert.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return summary;
            }
            // Already stored (a repeated compaction of the same range), or no such conversation.
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                SELECT {SummaryColumns} FROM conversation_summaries s
                JOIN conversations v ON v.key = s.conversation_key AND v.generation = s.generation
                WHERE s.conversation_key = $k AND s.through_id = $id
                """;
            cmd.Parameters.AddWithValue("$k", conversationKey);
            cmd.Parameters.AddWithValue("$id", summary.ThroughId);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? ReadSummary(reader)
                : throw new InvalidOperationException($"Conversation {conversationKey} has no messages: there is nothing for a summary to replace.");
        }, cancellationToken);

    private const string SummaryColumns = "s.through_id, s.summary, s.messages, s.tokens_before, s.tokens_after, s.truncated";

    private static ConversationSummary ReadSummary(SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5) != 0);

    public Task<KeptTurn> AppendTurnAsync(KeptTurn turn, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow().ToString("O");
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            // The turn's row is the idempotency key: a turn already kept writes nothing and answers with the earlier record.
            await using (var record = c.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO turns (id, conversation_key, answer, kept_at) VALUES ($id, $k, $a, $t) ON CONFLICT(id) DO NOTHING";
                record.Parameters.AddWithValue("$id", turn.TurnId);
                record.Parameters.AddWithValue("$k", turn.ConversationKey);
                record.Parameters.AddWithValue("$a", turn.Answer);
                record.Parameters.AddWithValue("$t", now);
                if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
                    return await FindTurnAsync(c, tx, turn.TurnId, cancellationToken) ?? throw new InvalidOperationException($"Turn {turn.TurnId} is kept but cannot be read.");
            }
            await using (var upsert = c.CreateCommand())
            {
                upsert.Transaction = tx;
                upsert.CommandText = "INSERT INTO conversations (key, generation, created_at, updated_at) VALUES ($k, 0, $t, $t) ON CONFLICT(key) DO UPDATE SET updated_at = $t";
                upsert.Parameters.AddWithValue("$k", turn.ConversationKey);
                upsert.Parameters.AddWithValue("$t", now);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var m in messages)
            {
                await using var insert = c.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = """
                    INSERT INTO messages (conversation_key, generation, role, text, content_json, tool_calls, model, input_tokens, output_tokens, created_at)
                    VALUES ($k, (SELECT generation FROM conversations WHERE key = $k), $r, $x, $j, $c, $m, $i, $o, $t)
                    """;
                insert.Parameters.AddWithValue("$k", turn.ConversationKey);
                insert.Parameters.AddWithValue("$r", m.Role.Value);
                insert.Parameters.AddWithValue("$x", m.Text);
                insert.Parameters.AddWithValue("$j", JsonSerializer.Serialize(m, AIJsonUtilities.DefaultOptions));
                insert.Parameters.AddWithValue("$c", m.Contents.OfType<FunctionCallContent>().Count());
                insert.Parameters.AddWithValue("$m", (object?)model ?? DBNull.Value);
                insert.Parameters.AddWithValue("$i", m.AdditionalProperties?.GetValueOrDefault(InputTokensKey) ?? DBNull.Value);
                insert.Parameters.AddWithValue("$o", m.AdditionalProperties?.GetValueOrDefault(OutputTokensKey) ?? DBNull.Value);
                insert.Parameters.AddWithValue("$t", now);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
            return turn;
        }, cancellationToken);

    public Task<KeptTurn?> FindTurnAsync(string turnId, CancellationToken cancellationToken) =>
        db.RunAsync(c => FindTurnAsync(c, null, turnId, cancellationToken), cancellationToken);

    private static async Task<KeptTurn?> FindTurnAsync(SqliteConnection c, SqliteTransaction? tx, string turnId, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT conversation_key, answer FROM turns WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", turnId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new KeptTurn(turnId, reader.GetString(0), reader.GetString(1)) : null;
    }

    public Task<int> PruneTurnsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM turns WHERE kept_at < $before";
            cmd.Parameters.AddWithValue("$before", before.ToUniversalTime().ToString("O"));
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task ResetAsync(string conversationKey, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE conversations SET generation = generation + 1, updated_at = $t WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", conversationKey);
            cmd.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
