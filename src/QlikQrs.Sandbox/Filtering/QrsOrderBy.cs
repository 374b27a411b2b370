using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Filtering;

/// <summary><c>orderby=name desc, createdDate</c>: dotted paths, each ascending unless followed by desc.</summary>
public sealed class QrsOrderBy
{
    private readonly (string[] Path, bool Descending)[] _keys;

    private QrsOrderBy((string[] Path, bool Descending)[] keys) => _keys = keys;

    public static QrsOrderBy Parse(string text)
    {
        var keys = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            string[] words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool descending = words.Length == 2 && words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            if (words.Length > 2 || words.Length == 2 && !descending && !words[1].Equals("asc", StringComparison.OrdinalIgnoreCase))
            {
                throw QrsException.BadRequest($"Cannot parse the orderby expression '{text}'.");
            }

            return (words[0].Split('.'), descending);
        }).ToArray();
        return new QrsOrderBy(keys);
    }

    public IEnumerable<StoredEntity> Apply(IEnumerable<StoredEntity> entities, TypeShape type, EntityRenderer renderer)
    {
        IOrderedEnumerable<StoredEntity>? ordered = null;
        foreach (var (path, descending) in _keys)
        {
            Func<StoredEntity, JsonElement> key = e => renderer.Navigate(e.Value, type, path).First().Value;
            ordered = ordered is null
                ? descending ? entities.OrderByDescending(key, ValueComparer.Instance) : entities.OrderBy(key, ValueComparer.Instance)
                : descending ? ordered.ThenByDescending(key, ValueComparer.Instance) : ordered.ThenBy(key, ValueComparer.Instance);
        }

        return ordered ?? entities;
    }

    private sealed class ValueComparer : IComparer<JsonElement>
    {
        public static ValueComparer Instance { get; } = new();

        public int Compare(JsonElement x, JsonElement y)
        {
            bool xNull = x.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
            bool yNull = y.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
            if (xNull || yNull)
            {
                return xNull.CompareTo(yNull) * -1;
            }

            return (x.ValueKind, y.ValueKind) switch
            {
                (JsonValueKind.Number, JsonValueKind.Number) => x.GetDouble().CompareTo(y.GetDouble()),
                (JsonValueKind.String, JsonValueKind.String) => string.Compare(x.GetString(), y.GetString(), StringComparison.OrdinalIgnoreCase),
                _ => string.Compare(x.GetRawText(), y.GetRawText(), StringComparison.OrdinalIgnoreCase),
            };
        }
    }
}
