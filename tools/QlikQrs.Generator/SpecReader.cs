using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace QlikQrs.Generator;

/// <summary>The parts of the Swagger 2.0 QRS description that the project generates from.</summary>
public sealed class SpecReader
{
    private readonly JsonObject _paths;
    private readonly JsonObject _definitions;

    public SpecReader(JsonObject spec)
    {
        _paths = spec["paths"]!.AsObject();
        _definitions = spec["definitions"]!.AsObject();
        Version = spec["info"]!["version"]!.GetValue<string>();
    }

    public string Version { get; }

    /// <summary>Every operation of the description as "METHOD /path", in order: what the sandbox must answer.</summary>
    public IEnumerable<string> Operations() =>
        _paths.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key != "parameters").Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"));

    /// <summary>
    /// Entity families: a path whose GET lists condensed entities and whose <c>/{id}</c> GET returns one full entity.
    /// </summary>
    public IEnumerable<JsonObject> Families()
    {
        foreach (var (path, node) in _paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (path.Contains('{') || node!["get"] is not JsonObject list || !_paths.ContainsKey(path + "/{id}"))
            {
                continue;
            }

            string? condensed = RefName(list["responses"]?["200"]?["schema"]?["items"]);
            JsonObject item = _paths[path + "/{id}"]!.AsObject();
            string? entity = RefName(item["get"]?["responses"]?["200"]?["schema"]);
            if (condensed is null || entity is null)
            {
                continue;
            }

            var operations = new JsonArray("list", "get");
            void Has(string suffix, string method, string name)
            {
                if (_paths[path + suffix]?[method] is not null)
                {
                    operations.Add(name);
                }
            }

            Has("/full", "get", "full");
            Has("/count", "get", "count");
            Has(string.Empty, "post", "create");
            Has("/many", "post", "createMany");
            Has("/{id}", "put", "update");
            Has("/{id}", "delete", "delete");
            Has("/table", "post", "table");
            yield return new JsonObject
            {
                ["name"] = path.TrimStart('/'),
                ["entity"] = entity,
                ["condensed"] = condensed,
                ["operations"] = operations,
            };
        }
    }

    /// <summary>Every object definition as a property list, and every enum with its names.</summary>
    public (JsonObject Types, JsonObject Enums) Definitions()
    {
        var types = new JsonObject();
        var enums = new JsonObject();
        foreach (var (name, node) in _definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            JsonObject definition = node!.AsObject();
            if (definition["enum"] is JsonArray values)
            {
                enums[name] = new JsonObject
                {
                    ["values"] = values.DeepClone(),
                    ["names"] = new JsonArray((definition["x-enumNames"] as JsonArray ?? new JsonArray()).Select(v => (JsonNode)JsonValue.Create(v!.GetValue<string>())).ToArray()),
                };
                continue;
            }

            var properties = new JsonArray();
            foreach (var (propertyName, propertyNode) in definition["properties"]?.AsObject() ?? new JsonObject())
            {
                properties.Add(Property(propertyName, propertyNode!.AsObject()));
            }

            types[name] = new JsonObject
            {
                ["properties"] = properties,
                ["required"] = new JsonArray((definition["required"] as JsonArray ?? new JsonArray()).Select(r => (JsonNode)JsonValue.Create(r!.GetValue<string>())).ToArray()),
            };
        }

        return (types, enums);
    }

    private static JsonObject Property(string name, JsonObject schema)
    {
        var property = new JsonObject { ["name"] = name };
        JsonObject element = schema;
        if (schema["type"]?.GetValue<string>() == "array")
        {
            property["array"] = true;
            element = schema["items"]!.AsObject();
        }

        if (RefName(element) is string reference)
        {
            property["ref"] = reference;
        }
        else
        {
            property["type"] = element["type"]?.GetValue<string>() ?? "object";
            if (element["format"]?.GetValue<string>() is string format)
            {
                property["format"] = format;
            }
        }

        if (element["enum"] is JsonArray values)
        {
            property["enum"] = new JsonObject
            {
                ["values"] = values.DeepClone(),
                ["names"] = element["x-enumNames"]?.DeepClone() ?? new JsonArray(),
            };
        }

        if (schema["maxLength"] is JsonNode maxLength)
        {
            property["maxLength"] = maxLength.DeepClone();
        }

        return property;
    }

    private static string? RefName(JsonNode? node) =>
        node?["$ref"]?.GetValue<string>() is string reference ? reference.Substring(reference.LastIndexOf('/') + 1) : null;
}
