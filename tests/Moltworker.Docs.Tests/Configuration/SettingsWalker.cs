using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Moltworker.Docs.Tests.Configuration;

/// <summary>Turns a bound options class into rows: one per setting the configuration binder fills, nested classes,
/// lists and dictionaries included (a dictionary's key shows as <c>&lt;name&gt;</c>), with the default a new instance
/// holds.</summary>
public sealed class SettingsWalker(XmlDocumentation docs)
{
    private const int MaxDepth = 8;

    /// <summary>Every options class a walk reached, nested ones included.</summary>
    public HashSet<Type> Reached { get; } = [];

    public IEnumerable<Setting> Walk(BoundOptions bound) => Walk(bound.Type, bound.Section, New(bound.Type), 0);

    private IEnumerable<Setting> Walk(Type type, string prefix, object? instance, int depth)
    {
        Reached.Add(type);
        if (depth > MaxDepth) yield break;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
                     .OrderBy(p => p.MetadataToken))
        {
            var settable = property.SetMethod is { IsPublic: true };
            var t = property.PropertyType;
            var key = $"{prefix}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            if (SettingTypes.IsSimple(t))
            {
                if (settable) yield return Row(property, key, SettingTypes.NameOf(t), value);
            }
            else if (SettingTypes.DictionaryValueType(t) is { } valueType)
            {
                if (SettingTypes.IsSimple(valueType))
                    yield return Row(property, $"{key}:<name>", SettingTypes.NameOf(valueType), value);
                else
                    foreach (var s in Walk(valueType, $"{key}:<name>", New(valueType), depth + 1)) yield return s;
            }
            else if (SettingTypes.ElementType(t) is { } element)
            {
                if (SettingTypes.IsSimple(element))
                    yield return Row(property, key, $"list of {SettingTypes.NameOf(element)}", value);
                else
                    foreach (var s in Walk(element, $"{key}:<n>", New(element), depth + 1)) yield return s;
            }
            else if (t.IsClass && t != typeof(object))
            {
                foreach (var s in Walk(t, key, value ?? New(t), depth + 1)) yield return s;
            }
        }
    }

    private Setting Row(PropertyInfo property, string key, string type, object? value) =>
        new(key, type, Format(value), docs.SummaryOf(property), property.DeclaringType!);

    private static object? New(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;

    public static string Format(object? value) => value switch
    {
        null => "(none)",
        string { Length: 0 } => "(empty)",
        string s => Code(s),
        bool b => Code(b ? "true" : "false"),
        TimeSpan ts => Code(ts.ToString("c", CultureInfo.InvariantCulture)),
        Enum e => Code(e.ToString()),
        IFormattable f => Code(f.ToString(null, CultureInfo.InvariantCulture)),
        IDictionary d => d.Count == 0 ? "(empty)" : string.Join(", ", d.Keys.Cast<object>().OrderBy(k => k.ToString(), StringComparer.Ordinal)
            .Select(k => $"{k}: {Format(d[k])}")),
        IEnumerable e => e.Cast<object?>().ToList() is { Count: > 0 } items ? string.Join(", ", items.Select(Format)) : "(empty)",
        _ => Code(value.ToString() ?? ""),
    };

    private static string Code(string text) => $"`{text.Replace("|", "\\|")}`";
}
