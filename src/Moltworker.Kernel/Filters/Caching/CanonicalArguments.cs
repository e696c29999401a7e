using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// A call's arguments as stable JSON: object keys sorted (ordinal) at every depth, no white space between tokens, and
/// numbers in one spelling (<c>1</c>, <c>1.0</c> and <c>1e0</c> are all <c>1</c>). Two calls that mean the same get the
/// same text whatever order or formatting the model used. Strings are kept exactly: white space inside a value means
/// something.
/// </summary>
public static class CanonicalArguments
{
    public static string Of(AIFunctionArguments arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                Write(writer, value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, ToolJson.Options));
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(Number(element.GetRawText()), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>One spelling per value: as a decimal without trailing zeros when it fits, else the shortest round-trip
    /// double.</summary>
    private static string Number(string raw) =>
        decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? (d == 0 ? "0" : d.ToString("G29", CultureInfo.InvariantCulture))
            : double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
}
