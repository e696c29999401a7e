namespace Moltworker.Channels.Discord.Signing;

internal static class Hex
{
    public static byte[]? TryDecode(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex) || hex.Length % 2 != 0) return null;
        try { return Convert.FromHexString(hex.Trim()); }
        catch (FormatException) { return null; }
    }
}
