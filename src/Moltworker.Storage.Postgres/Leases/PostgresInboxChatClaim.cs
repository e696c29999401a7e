using Npgsql;
using Moltworker.Kernel.Inbox;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Leases;

/// <summary>The chat lease, the chat's pending items and the first item's attempt in one statement (one round trip,
/// its own implicit transaction): the lease upsert of <see cref="PostgresHostLeases.TryAcquireChatAsync"/>, and only
/// when it succeeded the attempts of the chat's oldest pending item counted (<c>UPDATE … RETURNING</c> the count
/// before) and the chat's pending items read. The items are read in the statement's snapshot, taken before the lease
/// row was written: an item another host stores meanwhile is found by the next claim, or by the dispatcher's look
/// after it gives the lease up, as with separate statements.</summary>
public sealed class PostgresInboxChatClaim(PostgresDatabase db) : IInboxChatClaim
{
    public Task<IReadOnlyList<InboxItem>?> ClaimNextAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<InboxItem>?>(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                WITH lease AS (
                    INSERT INTO chat_leases AS l (order_key, lease_owner, lease_expires_at) VALUES (@key, @owner, {LeaseSql.Expiry})
                    ON CONFLICT (order_key) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at
                    WHERE l.lease_owner = EXCLUDED.lease_owner OR l.lease_expires_at <= now()
                    RETURNING 1),
                pending AS (
                    SELECT id, source, external_id, order_key, payload, received_at, attempts FROM inbox
                    WHERE done_at IS NULL AND order_key = @key AND EXISTS (SELECT 1 FROM lease)),
                counted AS (
                    UPDATE inbox SET attempts = inbox.attempts + 1
                    FROM (SELECT id FROM pending ORDER BY id LIMIT 1) head WHERE inbox.id = head.id
                    RETURNING inbox.id, inbox.attempts - 1 AS before)
                SELECT EXISTS (SELECT 1 FROM lease), p.id, p.source, p.external_id, p.order_key, p.payload, p.received_at,
                       COALESCE((SELECT before FROM counted WHERE counted.id = p.id), p.attempts)
                FROM (SELECT 1) one LEFT JOIN pending p ON true
                ORDER BY p.id
                """, c).With("key", orderKey).With("owner", owner).With("lease", duration.TotalSeconds);
            var items = new List<InboxItem>();
            var held = false;
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                held = r.GetBoolean(0);
                if (!r.IsDBNull(1))
                    items.Add(new InboxItem(r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetTime(6), r.GetInt32(7)));
            }
            return held ? items : null;
        }, cancellationToken);
}
