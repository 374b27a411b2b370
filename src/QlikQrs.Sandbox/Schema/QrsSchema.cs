using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace QlikQrs.Sandbox.Schema;

/// <summary>
/// What the sandbox knows of QRS, loaded from the schema tools/QlikQrs.Generator writes from Qlik's API description:
/// the entity families and their endpoints, every type's properties, required fields and enum names.
/// </summary>
public sealed class QrsSchema
{
    private readonly Dictionary<string, EntityFamily> _families;
    private readonly Dictionary<string, EntityFamily> _familiesByType;

    private QrsSchema(string version, IEnumerable<EntityFamily> families, Dictionary<string, TypeShape> types, Dictionary<string, EnumShape> enums, IReadOnlyList<string> operations)
    {
        Operations = operations;
        Version = version;
        _families = families.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        Types = types;
        Enums = enums;
        _familiesByType = new Dictionary<string, EntityFamily>(StringComparer.Ordinal);
        foreach (EntityFamily family in _families.Values.OrderBy(f => f.Name.Length))
        {
            _familiesByType.TryAdd(family.Condensed, family);
            _familiesByType.TryAdd(family.Entity, family);
        }
    }

    public static QrsSchema Instance { get; } = Load();

    /// <summary>The QRS API version the schema was generated from.</summary>
    public string Version { get; }

    public IEnumerable<EntityFamily> Families => _families.Values;

    public IReadOnlyDictionary<string, TypeShape> Types { get; }

    public IReadOnlyDictionary<string, EnumShape> Enums { get; }

    /// <summary>Every operation QRS describes, as "METHOD /path" with its {placeholders}.</summary>
    public IReadOnlyList<string> Operations { get; }

    public EntityFamily? Family(string name) => _families.TryGetValue(name, out EntityFamily? family) ? family : null;

    /// <summary>The family whose full or condensed type is <paramref name="typeName"/>: what a reference points at.</summary>
    public EntityFamily? FamilyOfType(string? typeName) =>
        typeName is not null && _familiesByType.TryGetValue(typeName, out EntityFamily? family) ? family : null;

    public TypeShape Type(string name) => Types[name];

    public EnumShape? EnumOf(PropertyShape property) =>
        property.InlineEnum ?? (property.Ref is not null && Enums.TryGetValue(property.Ref, out EnumShape? shape) ? shape : null);

    private static QrsSchema Load()
    {
        using Stream stream = typeof(QrsSchema).Assembly.GetManifestResourceStream("QlikQrs.Sandbox.QrsSchema.json")
            ?? throw new InvalidOperationException("The sandbox was built without its QRS schema.");
        using JsonDocument document = JsonDocument.Parse(stream);
        JsonElement root = document.RootElement;

        var enums = root.GetProperty("enums").EnumerateObject().ToDictionary(e => e.Name, e => ReadEnum(e.Value), StringComparer.Ordinal);
        var types = root.GetProperty("types").EnumerateObject().ToDictionary(
            t => t.Name,
            t => new TypeShape(
                t.Name,
                t.Value.GetProperty("properties").EnumerateArray().Select(ReadProperty).ToArray(),
                t.Value.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray()),
            StringComparer.Ordinal);
        var families = root.GetProperty("families").EnumerateArray().Select(f => new EntityFamily(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entity").GetString()!,
            f.GetProperty("condensed").GetString()!,
            f.GetProperty("operations").EnumerateArray().Select(o => o.GetString()!).ToHashSet(StringComparer.Ordinal)));
        string[] operations = root.GetProperty("paths").EnumerateArray().Select(o => o.GetString()!).ToArray();
        return new QrsSchema(root.GetProperty("version").GetString()!, families, types, enums, operations);
    }

    private static PropertyShape ReadProperty(JsonElement property) => new(
        property.GetProperty("name").GetString()!,
        property.TryGetProperty("array", out JsonElement array) && array.GetBoolean(),
        property.TryGetProperty("ref", out JsonElement reference) ? reference.GetString() : null,
        property.TryGetProperty("type", out JsonElement type) ? type.GetString() : null,
        property.TryGetProperty("format", out JsonElement format) ? format.GetString() : null,
        property.TryGetProperty("maxLength", out JsonElement maxLength) ? maxLength.GetInt32() : null,
        property.TryGetProperty("enum", out JsonElement inline) ? ReadEnum(inline) : null);

    private static EnumShape ReadEnum(JsonElement shape) => new(
        shape.GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
        shape.GetProperty("names").EnumerateArray().Select(v => v.GetString()!).ToArray());
}

public sealed record EntityFamily(string Name, string Entity, string Condensed, IReadOnlySet<string> Operations)
{
    public bool Supports(string operation) => Operations.Contains(operation);
}

public sealed record TypeShape(string Name, IReadOnlyList<PropertyShape> Properties, IReadOnlyList<string> Required)
{
    public PropertyShape? Property(string name) => Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed record PropertyShape(string Name, bool IsArray, string? Ref, string? Type, string? Format, int? MaxLength, EnumShape? InlineEnum)
{
    public bool IsDate => Format == "date-time";

    public bool IsGuid => Format == "uuid";
}

/// <summary>Values are long: SecurityActions is a flags enum whose 'All' is 4294967295.</summary>
public sealed record EnumShape(long[] Values, string[] Names)
{
    public long? ValueOf(string name)
    {
        int index = Array.FindIndex(Names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index < Values.Length ? Values[index] : null;
    }

    public string? NameOf(long value)
    {
        int index = Array.IndexOf(Values, value);
        return index >= 0 && index < Names.Length ? Names[index] : null;
    }
}
