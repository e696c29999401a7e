using System.Text.Json;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Stores;

/// <summary>Conversations and messages. /reset bumps the conversation's generation: old messages stay but are no
/// longer loaded. A turn's messages are appended together with its row in <c>turns</c> (keyed by the task id) in one
/// statement, so a turn is in the conversation exactly once or not at all; when two hosts keep the same turn at once,
/// the second waits for the first's row and then writes nothing. A compaction's summary is one row in
/// <c>conversation_summaries</c> (module "compaction"): a turn reads the latest and the messages after it.</summary>
public sealed class PostgresConversationStore(PostgresDatabase db, TimeProvider time) : IConversationStore
{
    public Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ChatMessage>>(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT m.content_json FROM messages m JOIN conversations v ON v.key = m.conversation_key AND v.generation = m.generation
                WHERE m.conversation_key = @k ORDER BY m.id DESC LIMIT @n
                """, c).With("k", conversationKey).With("n", Math.Max(0, maxMessages));
            var list = new List<ChatMessage>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    list.Add(JsonSerializer.Deserialize<ChatMessage>(reader.GetString(0), AIJsonUtilities.DefaultOptions)!);
            list.Reverse();
            // Never start with tool traffic whose call is cut off: begin at the first user message.
            var first = list.FindIndex(m => m.Role == ChatRole.User);
            return first < 0 ? [] : list.GetRange(first, list.Count - first);
        }, cancellationToken);

    /// <summary>The latest summary and the messages after its range, in one statement (one round trip, one snapshot):
    /// the summary's row first (kind 0), then the newest messages (kind 1).</summary>
    public Task<ConversationHistory> LoadHistoryAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                WITH s AS (
                    SELECT s.through_id, s.summary, s.messages, s.tokens_before, s.tokens_after, s.truncated FROM conversation_summaries s
                    JOIN conversations v ON v.key = s.conversation_key AND v.generation = s.generation
                    WHERE s.conversation_key = @k ORDER BY s.through_id DESC LIMIT 1)
                SELECT 0, through_id, summary, messages, tokens_before, tokens_after, truncated FROM s
                UNION ALL
                (SELECT 1, m.id, m.content_json, NULL::integer, NULL::integer, NULL::integer, NULL::boolean
                 FROM messages m JOIN conversations v ON v.key = m.conversation_key AND v.generation = m.generation
                 WHERE m.conversation_key = @k AND m.id > COALESCE((SELECT through_id FROM s), 0) ORDER BY m.id DESC LIMIT @n)
                """, c).With("k", conversationKey).With("n", Math.Max(0, maxMessages));
            ConversationSummary? summary = null;
            var list = new List<StoredMessage>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (reader.GetInt32(0) == 0)
                        summary = new(reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetBoolean(6));
                    else
                        list.Add(new StoredMessage(reader.GetInt64(1), JsonSerializer.Deserialize<ChatMessage>(reader.GetString(2), AIJsonUtilities.DefaultOptions)!));
                }
            list.Sort((a, b) => a.Id.CompareTo(b.Id));
            return new ConversationHistory(summary, StoredHistory.Trim(list, maxMessages));
        }, cancellationToken);

    public Task<ConversationSummary> SaveSummaryAsync(string conversationKey, ConversationSummary summary, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO conversation_summaries (conversation_key, generation, through_id, summary, messages, tokens_before, tokens_after, truncated, created_at)
                SELECT key, generation, @id, @s, @m, @b, @a, @x, @t FROM conversations WHERE key = @k
                ON CONFLICT (conversation_key, generation, through_id) DO NOTHING
                """, c).With("k", conversationKey).With("id", summary.ThroughId).With("s", summary.Text).With("m", summary.Messages)
                .With("b", summary.TokensBefore).With("a", summary.TokensAfter).With("x", summary.Truncated).With("t", time.GetUtcNow()))
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1) return summary;
            }
            // Already stored (a repeated compaction of the same range), or no such conversation.
            await using var cmd = new NpgsqlCommand($"""
                SELECT {SummaryColumns} FROM conversation_summaries s
                JOIN conversations v ON v.key = s.conversation_key AND v.generation = s.generation
                WHERE s.conversation_key = @k AND s.through_id = @id
                """, c).With("k", conversationKey).With("id", summary.ThroughId);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? ReadSummary(reader)
                : throw new InvalidOperationException($"Conversation {conversationKey} has no messages: there is nothing for a summary to replace.");
        }, cancellationToken);

    private const string SummaryColumns = "s.through_id, s.summary, s.messages, s.tokens_before, s.tokens_after, s.truncated";

    private static ConversationSummary ReadSummary(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(5));

    /// <summary>One statement, one round trip (its own implicit transaction): the turn's row, then, only when that row is
    /// new, the conversation's row and the messages, numbered in their order. A turn kept before (by this host or another,
    /// which this statement waits for) writes nothing and returns the stored answer.</summary>
    public async Task<KeptTurn> AppendTurnAsync(KeptTurn turn, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var kept = await db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                WITH kept AS (
                    INSERT INTO turns (id, conversation_key, answer, kept_at) VALUES (@id, @k, @a, @t) ON CONFLICT (id) DO NOTHING RETURNING id),
                conversation AS (
                    INSERT INTO conversations (key, generation, created_at, updated_at) SELECT @k, 0, @t, @t FROM kept
                    ON CONFLICT (key) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING generation),
                added AS (
                    INSERT INTO messages (conversation_key, generation, role, text, content_json, tool_calls, model, input_tokens, output_tokens, created_at)
                    SELECT @k, conversation.generation, m.role, m.text, m.content_json, m.tool_calls, @m, m.input_tokens, m.output_tokens, @t
                    FROM conversation, unnest(@roles, @texts, @jsons, @calls, @ins, @outs) WITH ORDINALITY AS m(role, text, content_json, tool_calls, input_tokens, output_tokens, n)
                    ORDER BY m.n
                    RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM kept), (SELECT count(*) FROM added)
                """, c).With("id", turn.TurnId).With("k", turn.ConversationKey).With("a", turn.Answer).With("t", now).With("m", model);
            cmd.Parameters.Add(new NpgsqlParameter("roles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Role.Value).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("texts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Text).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("jsons", NpgsqlDbType.Array | NpgsqlDbType.Text)
                { Value = messages.Select(m => JsonSerializer.Serialize(m, AIJsonUtilities.DefaultOptions)).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("calls", NpgsqlDbType.Array | NpgsqlDbType.Integer)
                { Value = messages.Select(m => m.Contents.OfType<FunctionCallContent>().Count()).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("ins", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = messages.Select(m => Tokens(m, MessageProperties.InputTokens)).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("outs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = messages.Select(m => Tokens(m, MessageProperties.OutputTokens)).ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return reader.GetBoolean(0);
        }, cancellationToken);
        if (kept) return turn;
        return await FindTurnAsync(turn.TurnId, cancellationToken) ?? throw new InvalidOperationException($"Turn {turn.TurnId} is kept but cannot be read.");
    }

    public Task<KeptTurn?> FindTurnAsync(string turnId, CancellationToken cancellationToken) =>
        db.RunAsync(c => FindTurnAsync(c, null, turnId, cancellationToken), cancellationToken);

    private static async Task<KeptTurn?> FindTurnAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string turnId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT conversation_key, answer FROM turns WHERE id = @id", c, tx).With("id", turnId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new KeptTurn(turnId, reader.GetString(0), reader.GetString(1)) : null;
    }

    public Task<int> PruneTurnsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM turns WHERE kept_at < @before", c).With("before", before);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task ResetAsync(string conversationKey, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("UPDATE conversations SET generation = generation + 1, updated_at = @t WHERE key = @k", c)
                .With("k", conversationKey).With("t", time.GetUtcNow());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>A token count the model client put on the message (any integer type), or null.</summary>
    private static long? Tokens(ChatMessage message, string key) =>
        message.AdditionalProperties?.GetValueOrDefault(key) is IConvertible value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
