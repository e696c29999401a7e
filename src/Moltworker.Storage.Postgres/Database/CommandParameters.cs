using Npgsql;
using NpgsqlTypes;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>Typed parameters, so that a null still tells PostgreSQL its type (<c>@x IS NULL OR …</c> needs it).</summary>
internal static class CommandParameters
{
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string? value) => Add(command.Parameters, command, name, NpgsqlDbType.Text, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, int value) => Add(command.Parameters, command, name, NpgsqlDbType.Integer, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long value) => Add(command.Parameters, command, name, NpgsqlDbType.Bigint, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, long? value) => Add(command.Parameters, command, name, NpgsqlDbType.Bigint, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, double value) => Add(command.Parameters, command, name, NpgsqlDbType.Double, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, bool value) => Add(command.Parameters, command, name, NpgsqlDbType.Boolean, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, decimal? value) => Add(command.Parameters, command, name, NpgsqlDbType.Numeric, value);
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, string[] value) => Add(command.Parameters, command, name, NpgsqlDbType.Array | NpgsqlDbType.Text, value);

    /// <summary>A point in time, stored as UTC (<c>timestamptz</c>).</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, DateTimeOffset? value) =>
        Add(command.Parameters, command, name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, string? value) => Add(command.Parameters, command, name, NpgsqlDbType.Text, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, int value) => Add(command.Parameters, command, name, NpgsqlDbType.Integer, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, long value) => Add(command.Parameters, command, name, NpgsqlDbType.Bigint, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, long? value) => Add(command.Parameters, command, name, NpgsqlDbType.Bigint, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, double value) => Add(command.Parameters, command, name, NpgsqlDbType.Double, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, bool value) => Add(command.Parameters, command, name, NpgsqlDbType.Boolean, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, decimal? value) => Add(command.Parameters, command, name, NpgsqlDbType.Numeric, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, string?[] value) => Add(command.Parameters, command, name, NpgsqlDbType.Array | NpgsqlDbType.Text, value);
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, long[] value) => Add(command.Parameters, command, name, NpgsqlDbType.Array | NpgsqlDbType.Bigint, value);

    /// <summary>Points in time, stored as UTC (<c>timestamptz[]</c>).</summary>
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, DateTimeOffset[] value) =>
        Add(command.Parameters, command, name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Array.ConvertAll(value, v => v.ToUniversalTime()));

    /// <summary>A point in time, stored as UTC (<c>timestamptz</c>).</summary>
    public static NpgsqlBatchCommand With(this NpgsqlBatchCommand command, string name, DateTimeOffset? value) =>
        Add(command.Parameters, command, name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    private static T Add<T>(NpgsqlParameterCollection parameters, T command, string name, NpgsqlDbType type, object? value)
    {
        parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }

    /// <summary>A <c>timestamptz</c> column as a <see cref="DateTimeOffset"/> in UTC.</summary>
    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
