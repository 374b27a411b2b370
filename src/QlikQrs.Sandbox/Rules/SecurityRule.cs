using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Rules;

/// <summary>
/// A system rule as the sandbox evaluates it: the resource filter (<c>App_*, Stream_*</c>) says which resources it
/// applies to, the condition whether it grants its actions to a user. The condition language is the part of QRS's
/// that the seeded rules and simple admin rules use: <c>user.roles="RootAdmin"</c>, <c>resource.owner = user</c>,
/// <c>node.name="Central"</c> (the subject of a sync rule),
/// <c>resource.stream.name like "Fin*"</c>, <c>!=</c>, <c>and</c>, <c>or</c>, <c>not</c>, parentheses, <c>true</c>
/// and <c>false</c>. Anything else is a parse failure, as QRS reports one, and grants nothing.
/// </summary>
public sealed class SecurityRule
{
    private readonly Regex[] _resources;
    private readonly Node? _condition;

    public SecurityRule(JsonElement rule)
    {
        Id = Guid.Parse(rule.GetProperty("id").GetString()!);
        Name = rule.TryGetProperty("name", out JsonElement name) ? name.GetString() ?? string.Empty : string.Empty;
        Category = rule.TryGetProperty("category", out JsonElement category) ? category.GetString() ?? string.Empty : string.Empty;
        Actions = rule.TryGetProperty("actions", out JsonElement actions) && actions.ValueKind == JsonValueKind.Number ? actions.GetInt64() : 0;
        Disabled = rule.TryGetProperty("disabled", out JsonElement disabled) && disabled.ValueKind == JsonValueKind.True;
        string filter = rule.TryGetProperty("resourceFilter", out JsonElement resourceFilter) ? resourceFilter.GetString() ?? string.Empty : string.Empty;
        _resources = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => new Regex("^" + Regex.Escape(part).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            .ToArray();
        string text = rule.TryGetProperty("rule", out JsonElement condition) ? condition.GetString() ?? string.Empty : string.Empty;
        try
        {
            _condition = string.IsNullOrWhiteSpace(text) ? new Constant(true) : new Parser(text).Parse();
        }
        catch (FormatException exception)
        {
            ParseError = exception.Message;
        }
    }

    public Guid Id { get; }

    public string Name { get; }

    /// <summary>Security, License or Sync.</summary>
    public string Category { get; }

    /// <summary>The SecurityActions bits the rule grants.</summary>
    public long Actions { get; }

    public bool Disabled { get; }

    /// <summary>Why the condition could not be read, or null.</summary>
    public string? ParseError { get; }

    /// <summary>Whether the rule applies to a resource of this type (App, Stream, LicenseProfessionalAccessGroup) and id.</summary>
    public bool AppliesTo(string resourceType, Guid resourceId)
    {
        string name = $"{resourceType}_{resourceId}";
        string dotted = resourceType.StartsWith("License", StringComparison.Ordinal) && resourceType.Length > "License".Length
            ? $"License.{resourceType.Substring("License".Length)}_{resourceId}"
            : name;
        return _resources.Any(r => r.IsMatch(name) || r.IsMatch(dotted));
    }

    /// <summary>Whether the condition holds for the context's user on its resource.</summary>
    public bool Grants(RuleContext context) => !Disabled && _condition is not null && _condition.Truth(context);

    private abstract class Node
    {
        public abstract bool Truth(RuleContext context);
    }

    private sealed class Constant(bool value) : Node
    {
        public override bool Truth(RuleContext context) => value;
    }

    private sealed class Logical(Node left, Node right, bool and) : Node
    {
        public override bool Truth(RuleContext context) => and ? left.Truth(context) && right.Truth(context) : left.Truth(context) || right.Truth(context);
    }

    private sealed class Not(Node inner) : Node
    {
        public override bool Truth(RuleContext context) => !inner.Truth(context);
    }

    private sealed class Comparison(Operand left, string op, Operand right) : Node
    {
        public override bool Truth(RuleContext context)
        {
            string[] lefts = left.Values(context);
            string[] rights = right.Values(context);
            bool any = op == "like"
                ? lefts.Any(l => rights.Any(r => Regex.IsMatch(l, "^" + Regex.Escape(r).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)))
                : lefts.Any(l => rights.Any(r => string.Equals(l, r, StringComparison.OrdinalIgnoreCase)));
            return op == "!=" ? !any : any;
        }
    }

    /// <summary>A literal, or a path from the user or the resource (a reference compares its id).</summary>
    private sealed class Operand(string? literal, string[]? path)
    {
        public string[] Values(RuleContext context)
        {
            if (literal is not null)
            {
                return [literal];
            }

            bool ofSubject = !path![0].Equals("resource", StringComparison.OrdinalIgnoreCase);
            JsonElement subject = ofSubject ? context.User : context.Resource;
            string type = ofSubject ? context.SubjectType : context.ResourceType;
            if (path.Length == 1)
            {
                return subject.TryGetProperty("id", out JsonElement id) ? [id.GetString() ?? string.Empty] : [];
            }

            if (!ofSubject && path.Length == 2 && path[1].Equals("resourcetype", StringComparison.OrdinalIgnoreCase))
            {
                return [context.ResourceType];
            }

            if (!context.Renderer.Schema.Types.TryGetValue(type, out TypeShape? shape) || shape.Property(path[1]) is null)
            {
                return [];
            }

            return context.Renderer.Navigate(subject, shape, path.Skip(1).ToArray())
                .Where(v => v.Value.ValueKind != JsonValueKind.Undefined)
                .Select(v => v.Value.ValueKind switch
                {
                    JsonValueKind.String => v.Value.GetString() ?? string.Empty,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => v.Value.GetRawText(),
                })
                .ToArray();
        }
    }

    /// <summary>Recursive descent over the condition's tokens: or binds looser than and, and than not.</summary>
    private sealed class Parser
    {
        private static readonly Regex s_token = new(@"\s*(?:(?<s>""[^""]*""|'[^']*')|(?<op>!=|=)|(?<p>[()])|(?<w>[A-Za-z_@][A-Za-z0-9_.@]*))", RegexOptions.CultureInvariant);
        private readonly List<string> _tokens = new();
        private int _at;

        public Parser(string text)
        {
            int position = 0;
            while (position < text.Length)
            {
                if (char.IsWhiteSpace(text[position]))
                {
                    position++;
                    continue;
                }

                Match match = s_token.Match(text, position);
                if (!match.Success || match.Index != position)
                {
                    throw new FormatException($"Unexpected '{text[position]}' at {position}.");
                }

                _tokens.Add(match.Value.Trim());
                position += match.Length;
            }
        }

        public Node Parse()
        {
            Node node = Or();
            return _at == _tokens.Count ? node : throw new FormatException($"Unexpected '{_tokens[_at]}'.");
        }

        private Node Or()
        {
            Node left = And();
            while (Accept("or"))
            {
                left = new Logical(left, And(), and: false);
            }

            return left;
        }

        private Node And()
        {
            Node left = Unary();
            while (Accept("and"))
            {
                left = new Logical(left, Unary(), and: true);
            }

            return left;
        }

        private Node Unary()
        {
            if (Accept("not"))
            {
                return new Not(Unary());
            }

            if (Accept("("))
            {
                Node inner = Or();
                return Accept(")") ? inner : throw new FormatException("A ')' is missing.");
            }

            if (Accept("true"))
            {
                return new Constant(true);
            }

            if (Accept("false"))
            {
                return new Constant(false);
            }

            Operand left = Operand();
            string op = Next()?.ToLowerInvariant() ?? throw new FormatException("The condition ends too early.");
            if (op is not ("=" or "!=" or "like"))
            {
                throw new FormatException($"'{op}' is not a comparison this sandbox evaluates.");
            }

            return new Comparison(left, op, Operand());
        }

        private Operand Operand()
        {
            string token = Next() ?? throw new FormatException("The condition ends too early.");
            if (token[0] is '"' or '\'')
            {
                return new Operand(token.Substring(1, token.Length - 2), null);
            }

            string[] path = token.Split('.');
            return path[0].Equals("user", StringComparison.OrdinalIgnoreCase) || path[0].Equals("node", StringComparison.OrdinalIgnoreCase) || path[0].Equals("resource", StringComparison.OrdinalIgnoreCase)
                ? new Operand(null, path)
                : throw new FormatException($"'{token}' is neither a value in quotes nor a user, node or resource property.");
        }

        private string? Next() => _at < _tokens.Count ? _tokens[_at++] : null;

        private bool Accept(string token)
        {
            if (_at < _tokens.Count && _tokens[_at].Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                _at++;
                return true;
            }

            return false;
        }
    }
}

/// <summary>Who asks about what: the subject entity (a user, or a server node for sync rules) and its type, the resource entity and its type, and the store to follow references.</summary>
public sealed record RuleContext(JsonElement User, JsonElement Resource, string ResourceType, EntityRenderer Renderer, string SubjectType = "User");

/// <summary>The SecurityActions names QRS uses in privileges lists (read, update, ...), by bit.</summary>
public static class SecurityActions
{
    public static readonly (long Bit, string Name)[] All =
    [
        (1, "create"), (2, "read"), (4, "update"), (8, "delete"), (16, "export"), (32, "publish"), (64, "changeowner"),
        (128, "changerole"), (256, "exportdata"), (512, "offlineaccess"), (1024, "distribute"), (2048, "duplicate"), (4096, "approve"),
    ];

    public static IEnumerable<string> Names(long actions) => All.Where(a => (actions & a.Bit) != 0).Select(a => a.Name);
}
