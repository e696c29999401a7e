using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Mapping between <see cref="KnowledgeChunk"/> and <c>kb_chunks</c> rows.</summary>
internal static class ChunkRows
{
    public const char Separator = '\u001f';

    public const string Columns = "id, document_id, position, source, title, headings, text, tags, updated_at, text_start, start_offset, end_offset";

    public static string JoinTags(IReadOnlyList<string> tags) =>
        tags.Count == 0 ? "" : "|" + string.Join('|', tags) + "|";

    public static string[] SplitTags(string tags) =>
        tags.Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static byte[] ToBlob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Reads a row selected with <see cref="Columns"/>.</summary>
    public static (long Id, KnowledgeChunk Chunk) Read(SqliteDataReader reader) => (reader.GetInt64(0), new KnowledgeChunk
    {
        DocumentId = reader.GetString(1),
        Position = reader.GetInt32(2),
        Source = reader.GetString(3),
        Title = reader.GetString(4),
        HeadingPath = reader.GetString(5).Length == 0 ? [] : reader.GetString(5).Split(Separator),
        Text = reader.GetString(6),
        Tags = SplitTags(reader.GetString(7)),
        UpdatedAt = ParseTime(reader.GetString(8)),
        TextStart = reader.GetInt32(9),
        Start = reader.GetInt32(10),
        End = reader.GetInt32(11),
    });

    private static readonly string[] InsertParameters =
        ["$document", "$position", "$source", "$title", "$headings", "$text", "$tags", "$updated", "$textStart", "$start", "$end", "$vector"];

    /// <summary>The <see cref="Insert"/> command with its parameters created once, for <see cref="Bind"/> to fill
    /// for each chunk (the statement stays prepared across chunks).</summary>
    public static SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        foreach (var name in InsertParameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    /// <summary>Sets the values of a command made by <see cref="InsertCommand"/>.</summary>
    public static void Bind(SqliteCommand command, KnowledgeChunk chunk)
    {
        var p = command.Parameters;
        p[0].Value = chunk.DocumentId;
        p[1].Value = chunk.Position;
        p[2].Value = chunk.Source;
        p[3].Value = chunk.Title;
        p[4].Value = string.Join(Separator, chunk.HeadingPath);
        p[5].Value = chunk.Text;
        p[6].Value = JoinTags(chunk.Tags);
        p[7].Value = Time(chunk.UpdatedAt);
        p[8].Value = chunk.TextStart;
        p[9].Value = chunk.Start;
        p[10].Value = chunk.End;
        p[11].Value = chunk.Vector is { } v ? ToBlob(v) : DBNull.Value;
    }

    public const string Insert = """
        INSERT INTO kb_chunks(document_id, position, source, title, headings, text, tags, updated_at, text_start, start_offset, end_offset, vector)
        VALUES ($document, $position, $source, $title, $headings, $text, $tags, $updated, $textStart, $start, $end, $vector)
        RETURNING id
        """;

    /// <summary>SQL conditions (on alias <c>c</c>) for a filter, with their parameters added to the command.</summary>
    public static string FilterSql(SqliteCommand command, SearchFilter filter)
    {
        var parts = new List<string>();
        if (filter.Tags.Count > 0)
        {
            var any = new List<string>();
            for (var i = 0; i < filter.Tags.Count; i++)
            {
                any.Add($"instr(c.tags, $tag{i}) > 0");
                command.Parameters.AddWithValue($"$tag{i}", "|" + filter.Tags[i] + "|");
            }
            parts.Add("(" + string.Join(" OR ", any) + ")");
        }
        if (!string.IsNullOrEmpty(filter.Source))
        {
            parts.Add("(c.source = $src OR substr(c.source, 1, length($srcDir)) = $srcDir)");
            command.Parameters.AddWithValue("$src", filter.Source);
            command.Parameters.AddWithValue("$srcDir", filter.Source.EndsWith('/') ? filter.Source : filter.Source + "/");
        }
        return parts.Count == 0 ? "" : " AND " + string.Join(" AND ", parts);
    }
}
