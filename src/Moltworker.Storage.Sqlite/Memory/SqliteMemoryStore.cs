using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Memory;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Memory;

/// <summary><see cref="IMemoryStore"/> in the <c>memories</c> table: every statement has <c>user_key = $u</c> in its
/// WHERE clause. The limit per user is checked and the row inserted in one transaction.</summary>
public sealed class SqliteMemoryStore(SqliteDatabase db) : IMemoryStore
{
    public Task<bool> AddAsync(UserMemory memory, int maxPerUser, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var transaction = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await using (var count = c.CreateCommand())
            {
                count.Transaction = transaction;
                count.CommandText = "SELECT COUNT(*) FROM memories WHERE user_key = $u";
                count.Parameters.AddWithValue("$u", memory.User);
                if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxPerUser) return false;
            }
            await using (var insert = c.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO memories (id, user_key, text, created_ms, embedding) VALUES ($id, $u, $t, $c, $e)";
                insert.Parameters.AddWithValue("$id", memory.Id);
                insert.Parameters.AddWithValue("$u", memory.User);
                insert.Parameters.AddWithValue("$t", memory.Text);
                insert.Parameters.AddWithValue("$c", memory.CreatedAt.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$e", memory.Embedding is { } e ? MemoryEmbedding.ToBytes(e) : DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<UserMemory>> ListAsync(string user, bool withEmbeddings, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<UserMemory>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT id, user_key, text, created_ms, {(withEmbeddings ? "embedding" : "NULL")} FROM memories WHERE user_key = $u ORDER BY created_ms, id";
            cmd.Parameters.AddWithValue("$u", user);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<UserMemory>();
            while (await r.ReadAsync(cancellationToken))
                list.Add(new UserMemory(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)))
                {
                    Embedding = r.IsDBNull(4) ? null : MemoryEmbedding.FromBytes((byte[])r.GetValue(4)),
                });
            return list;
        }, cancellationToken);

    public Task<bool> RemoveAsync(string user, string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM memories WHERE user_key = $u AND id = $id";
            cmd.Parameters.AddWithValue("$u", user);
            cmd.Parameters.AddWithValue("$id", id);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<int> ClearAsync(string user, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM memories WHERE user_key = $u";
            cmd.Parameters.AddWithValue("$u", user);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
