using System.Text.Json;
using Microsoft.Extensions.AI;
using Npgsql;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Stores;

/// <summary>Conversations and messages. /reset bumps the conversation's generation: old messages stay but are no
/// longer loaded. A turn's messages are appended together with its row in <c>turns</c> (keyed by the task id) in one
/// transaction, so a turn is in the conversation exactly once or not at all; when two hosts keep the same turn at once,
/// the second waits for the first's row and then writes nothing.</summary>
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

    public Task<KeptTurn> AppendTurnAsync(KeptTurn turn, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow();
            await using (var record = new NpgsqlCommand(
                "INSERT INTO turns (id, conversation_key, answer, kept_at) VALUES (@id, @k, @a, @t) ON CONFLICT (id) DO NOTHING", c, tx)
                .With("id", turn.TurnId).With("k", turn.ConversationKey).With("a", turn.Answer).With("t", now))
            {
                if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
                    return await FindTurnAsync(c, tx, turn.TurnId, cancellationToken) ?? throw new InvalidOperationException($"Turn {turn.TurnId} is kept but cannot be read.");
            }
            var batch = new NpgsqlBatch(c, tx);
            await using (batch)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO conversations (key, generation, created_at, updated_at) VALUES (@k, 0, @t, @t)
                    ON CONFLICT (key) DO UPDATE SET updated_at = EXCLUDED.updated_at
                    """).With("k", turn.ConversationKey).With("t", now));
                foreach (var m in messages)
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                        INSERT INTO messages (conversation_key, generation, role, text, content_json, tool_calls, model, input_tokens, output_tokens, created_at)
                        VALUES (@k, (SELECT generation FROM conversations WHERE key = @k), @r, @x, @j, @c, @m, @i, @o, @t)
                        """)
                        .With("k", turn.ConversationKey).With("r", m.Role.Value).With("x", m.Text)
                        .With("j", JsonSerializer.Serialize(m, AIJsonUtilities.DefaultOptions))
                        .With("c", m.Contents.OfType<FunctionCallContent>().Count()).With("m", model)
                        .With("i", Tokens(m, MessageProperties.InputTokens)).With("o", Tokens(m, MessageProperties.OutputTokens)).With("t", now));
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            return turn;
        }, cancellationToken);

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
