using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// A JSON object sent to the admin endpoint, read strictly: a name it does not know, a value of the wrong kind or out
/// of range is a 400 that names the value and says what it must be, so a runbook's typo is not silently ignored.
/// </summary>
internal sealed class AdminBody
{
    private readonly JsonObject _body;
    private readonly string _where;

    public AdminBody(JsonObject body, string where, params string[] known)
    {
        _body = body;
        _where = where;
        if (body.Select(p => p.Key).FirstOrDefault(name => !known.Contains(name)) is string unknown)
        {
            throw QrsException.BadRequest($"{where} takes {string.Join(", ", known)}; '{unknown}' is not one of them.");
        }
    }

    /// <summary>The object's members in the order they were sent.</summary>
    public IEnumerable<string> Names => _body.Select(p => p.Key);

    public int? Whole(string name, int minimum, int maximum)
    {
        if (!_body.TryGetPropertyValue(name, out JsonNode? value))
        {
            return null;
        }

        return value is JsonValue number && number.GetValueKind() == JsonValueKind.Number &&
            decimal.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal parsed) &&
            parsed == decimal.Truncate(parsed) && parsed >= minimum && parsed <= maximum
            ? (int)parsed
            : throw Wrong(name, value, $"a whole number from {minimum} to {maximum}");
    }

    public double? Number(string name, double minimum, double maximum)
    {
        if (!_body.TryGetPropertyValue(name, out JsonNode? value))
        {
            return null;
        }

        return value is JsonValue number && number.GetValueKind() == JsonValueKind.Number &&
            double.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed >= minimum && parsed <= maximum
            ? parsed
            : throw Wrong(name, value, $"a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}");
    }

    public bool? Flag(string name)
    {
        if (!_body.TryGetPropertyValue(name, out JsonNode? value))
        {
            return null;
        }

        return value?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, value, "true or false"),
        };
    }

    public string? Text(string name)
    {
        if (!_body.TryGetPropertyValue(name, out JsonNode? value))
        {
            return null;
        }

        return value is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : throw Wrong(name, value, "text");
    }

    public AdminBody Object(string name, params string[] known) =>
        _body[name] is JsonObject inner ? new AdminBody(inner, name, known) : throw Wrong(name, _body[name], "an object");

    public QrsException Wrong(string name, JsonNode? value, string expected) =>
        QrsException.BadRequest($"{name} of {_where} must be {expected}, not {PropertyValues.Describe(value)}.");
}
