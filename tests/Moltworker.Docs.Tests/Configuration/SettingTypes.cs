namespace Moltworker.Docs.Tests.Configuration;

/// <summary>How the configuration binder sees a property's type, and the name a reader knows it by.</summary>
public static class SettingTypes
{
    public static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) ||
               t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(Guid) || t == typeof(Uri);
    }

    public static string NameOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t));
        return t switch
        {
            _ when t == typeof(string) => "string",
            _ when t == typeof(bool) => "boolean",
            _ when t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) ||
                   t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) => "integer",
            _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "number",
            _ when t == typeof(TimeSpan) => "time span",
            _ when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "date and time",
            _ when t == typeof(Uri) => "URL",
            _ => t.Name,
        };
    }

    /// <summary>The value type of a dictionary keyed by string, or null.</summary>
    public static Type? DictionaryValueType(Type type) =>
        Interfaces(type).FirstOrDefault(i => i.IsGenericType &&
                                             (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)) &&
                                             i.GetGenericArguments()[0] == typeof(string))?.GetGenericArguments()[1];

    /// <summary>The element type of an array or list (not of a string or dictionary), or null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return Interfaces(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static IEnumerable<Type> Interfaces(Type type) => type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();
}
