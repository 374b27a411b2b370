using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Filtering;

/// <summary>
/// QRS's filter language: <c>prop op value</c> joined by <c>and</c>/<c>or</c> (and <c>not</c>), parentheses, dotted
/// paths; operators eq ne gt ge lt le sw ew so; strings in single quotes with <c>\'</c> for a quote; enum names,
/// GUIDs, numbers, true/false and null bare; dates quoted. Case-insensitive throughout.
/// </summary>
public abstract class QrsFilter
{
    public abstract bool Matches(JsonElement entity, TypeShape type, EntityRenderer renderer);

    public static QrsFilter Parse(string text)
    {
        var parser = new Parser(text);
        QrsFilter filter = parser.ParseOr();
        parser.ExpectEnd();
        return filter;
    }

    private sealed class And(QrsFilter left, QrsFilter right) : QrsFilter
    {
        public override bool Matches(JsonElement entity, TypeShape type, EntityRenderer renderer) =>
            left.Matches(entity, type, renderer) && right.Matches(entity, type, renderer);
    }

    private sealed class Or(QrsFilter left, QrsFilter right) : QrsFilter
    {
        public override bool Matches(JsonElement entity, TypeShape type, EntityRenderer renderer) =>
            left.Matches(entity, type, renderer) || right.Matches(entity, type, renderer);
    }

    private sealed class Not(QrsFilter inner) : QrsFilter
    {
        public override bool Matches(JsonElement entity, TypeShape type, EntityRenderer renderer) => !inner.Matches(entity, type, renderer);
    }

    private sealed class Comparison(string[] path, string op, Literal literal) : QrsFilter
    {
        public override bool Matches(JsonElement entity, TypeShape type, EntityRenderer renderer)
        {
            foreach (var (value, property) in renderer.Navigate(entity, type, path))
            {
                if (Compare(value, property, renderer.Schema))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Compare(JsonElement value, PropertyShape property, QrsSchema schema)
        {
            bool isNull = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
            if (literal.IsNull)
            {
                return op switch
                {
                    "eq" => isNull,
                    "ne" => !isNull,
                    _ => throw QrsException.BadRequest($"Cannot parse the expression: '{op}' cannot compare with null."),
                };
            }

            if (isNull)
            {
                return op == "ne";
            }

            int? order;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number when schema.EnumOf(property) is EnumShape shape:
                    long? wanted = literal.Text is not null && !literal.Quoted && long.TryParse(literal.Text, out long number) ? number : shape.ValueOf(literal.Text ?? string.Empty);
                    if (wanted is null)
                    {
                        throw QrsException.BadRequest($"Cannot parse the expression: '{literal.Text}' is not a value of {property.Name} ({string.Join(", ", shape.Names)}).");
                    }

                    order = value.GetInt64().CompareTo(wanted.Value);
                    break;
                case JsonValueKind.Number:
                    order = value.GetDouble().CompareTo(literal.AsNumber(property));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    bool flag = literal.AsBoolean(property);
                    order = value.GetBoolean() == flag ? 0 : value.GetBoolean() ? 1 : -1;
                    break;
                case JsonValueKind.String when property.IsDate:
                    QrsDate.TryParse(value.GetString(), out DateTime stored);
                    order = stored.CompareTo(literal.AsDate(property));
                    break;
                case JsonValueKind.String when property.IsGuid:
                    order = Guid.TryParse(value.GetString(), out Guid guid) ? guid.CompareTo(literal.AsGuid(property)) : -1;
                    break;
                case JsonValueKind.String:
                    return CompareText(value.GetString()!, literal.Text ?? string.Empty);
                default:
                    return false;
            }

            return Ordered(order.Value) ?? throw QrsException.BadRequest($"Cannot parse the expression: '{op}' applies to text only.");
        }

        private bool CompareText(string value, string wanted) => op switch
        {
            "sw" => value.StartsWith(wanted, StringComparison.OrdinalIgnoreCase),
            "ew" => value.EndsWith(wanted, StringComparison.OrdinalIgnoreCase),
            "so" => value.Contains(wanted, StringComparison.OrdinalIgnoreCase),
            _ => Ordered(string.Compare(value, wanted, StringComparison.OrdinalIgnoreCase)) ?? false,
        };

        /// <summary>The comparison operators on an ordering; null for the text-only ones.</summary>
        private bool? Ordered(int order) => op switch
        {
            "eq" => order == 0,
            "ne" => order != 0,
            "gt" => order > 0,
            "ge" => order >= 0,
            "lt" => order < 0,
            "le" => order <= 0,
            _ => null,
        };
    }

    private sealed record Literal(string? Text, bool Quoted, bool IsNull)
    {
        public double AsNumber(PropertyShape property) =>
            double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : throw Invalid(property, "a number");

        public bool AsBoolean(PropertyShape property) => bool.TryParse(Text, out bool flag) ? flag : throw Invalid(property, "true or false");

        public DateTime AsDate(PropertyShape property) => QrsDate.TryParse(Text, out DateTime date) ? date : throw Invalid(property, "a date");

        public Guid AsGuid(PropertyShape property) => Guid.TryParse(Text, out Guid guid) ? guid : throw Invalid(property, "a GUID");

        private QrsException Invalid(PropertyShape property, string expected) =>
            QrsException.BadRequest($"Cannot parse the expression: '{Text}' is not {expected}, as {property.Name} needs.");
    }

    private sealed class Parser
    {
        private static readonly string[] s_operators = { "eq", "ne", "gt", "ge", "lt", "le", "sw", "ew", "so" };

        private readonly string _text;
        private int _position;

        public Parser(string text) => _text = text;

        public QrsFilter ParseOr()
        {
            QrsFilter left = ParseAnd();
            while (TryKeyword("or"))
            {
                left = new Or(left, ParseAnd());
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_position < _text.Length)
            {
                throw Error($"unexpected '{_text.Substring(_position)}'");
            }
        }

        private QrsFilter ParseAnd()
        {
            QrsFilter left = ParseUnary();
            while (TryKeyword("and"))
            {
                left = new And(left, ParseUnary());
            }

            return left;
        }

        private QrsFilter ParseUnary()
        {
            if (TryKeyword("not"))
            {
                return new Not(ParseUnary());
            }

            SkipSpace();
            if (Peek() == '(')
            {
                _position++;
                QrsFilter inner = ParseOr();
                SkipSpace();
                if (Peek() != ')')
                {
                    throw Error("a ')' is missing");
                }

                _position++;
                return inner;
            }

            string path = ReadWord();
            if (path.Length == 0)
            {
                throw Error("a property name was expected");
            }

            string op = ReadWord().ToLowerInvariant();
            if (!s_operators.Contains(op))
            {
                throw Error($"'{op}' is not an operator (eq ne gt ge lt le sw ew so)");
            }

            return new Comparison(path.Split('.'), op, ReadLiteral());
        }

        private Literal ReadLiteral()
        {
            SkipSpace();
            if (Peek() == '\'')
            {
                _position++;
                var text = new StringBuilder();
                while (true)
                {
                    if (_position >= _text.Length)
                    {
                        throw Error("a closing quote is missing");
                    }

                    char c = _text[_position++];
                    if (c == '\\' && _position < _text.Length)
                    {
                        text.Append(_text[_position++]);
                    }
                    else if (c == '\'')
                    {
                        return new Literal(text.ToString(), Quoted: true, IsNull: false);
                    }
                    else
                    {
                        text.Append(c);
                    }
                }
            }

            string word = ReadWord();
            if (word.Length == 0)
            {
                throw Error("a value was expected");
            }

            return new Literal(word, Quoted: false, IsNull: word.Equals("null", StringComparison.OrdinalIgnoreCase));
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            int end = _position + keyword.Length;
            if (end <= _text.Length && string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0 &&
                (end == _text.Length || char.IsWhiteSpace(_text[end]) || _text[end] == '('))
            {
                _position = end;
                return true;
            }

            return false;
        }

        private string ReadWord()
        {
            SkipSpace();
            int start = _position;
            while (_position < _text.Length && !char.IsWhiteSpace(_text[_position]) && _text[_position] is not ('(' or ')' or '\''))
            {
                _position++;
            }

            return _text.Substring(start, _position - start);
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            {
                _position++;
            }
        }

        private QrsException Error(string what) => QrsException.BadRequest($"Cannot parse the expression '{_text}': {what} at position {_position}.");
    }
}
