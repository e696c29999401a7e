using System.Globalization;

namespace Moltworker.Testing.Telegram;

internal static class JsonIds
{
    public static long ParseLong(this string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
