using System;
using System.ComponentModel;
using System.Globalization;
using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>
/// What a user gives to name one or more entities of a family: an id, a name (with * and ? wildcards), the entity
/// itself (full or condensed), or any object with an Id. PowerShell turns each of these into the family's identity
/// type when it binds a parameter, from the command line or the pipeline; which entities it stands for is decided
/// against QRS (QrsIdentityResolver).
/// </summary>
public abstract class QrsIdentity
{
    private protected QrsIdentity(object value)
    {
        Given = value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
        switch (Given)
        {
            case QrsIdentity other:
                Id = other.Id;
                Name = other.Name;
                Entity = other.Entity;
                Given = other.Given;
                WrongKind = other.WrongKind;
                break;
            case Guid id:
                Id = id;
                break;
            case string text when Guid.TryParse(text, out Guid parsed):
                Id = parsed;
                break;
            case string text:
                Name = text;
                break;
            case QrsEntity entity:
                Entity = entity;
                Id = (entity as IQrsEntity)?.Id;
                Name = (entity as IQrsNamedEntity)?.Name;
                if (QrsEntityFamilies.OfType(entity.GetType()) is not QrsEntityFamily family || !IsOfKind(family.EntityType.Name))
                {
                    WrongKind = entity.GetType().Name;
                }

                break;
            case PSObject custom:
                Id = custom.Properties["Id"]?.Value is object given ? AsGuid(LanguagePrimitives.ConvertTo<string>(given)) : null;
                Name = custom.Properties["Name"]?.Value as string;
                if (custom.Properties["schemaPath"]?.Value is string schemaPath
                    && !IsOfKind(schemaPath.EndsWith("Condensed", StringComparison.OrdinalIgnoreCase) ? schemaPath.Substring(0, schemaPath.Length - "Condensed".Length) : schemaPath))
                {
                    WrongKind = schemaPath;
                }

                break;
            default:
                throw new PSInvalidCastException($"A {Given?.GetType().Name ?? "null"} cannot name {Article(Words)} {Words}: give a name, an id, or {Article(Words)} {Words} object.");
        }

        if (Id is null && string.IsNullOrWhiteSpace(Name) && WrongKind is null)
        {
            throw new PSArgumentException($"An empty value cannot name {Article(Words)} {Words}.");
        }
    }

    /// <summary>The id, when the identity gave one.</summary>
    public Guid? Id { get; }

    /// <summary>The name or name pattern, when the identity gave one.</summary>
    public string? Name { get; }

    /// <summary>The entity object given, if one was.</summary>
    public QrsEntity? Entity { get; }

    /// <summary>What was given, as it was given.</summary>
    public object? Given { get; }

    /// <summary>The connection an entity given was read through.</summary>
    public QrsConnection? Connection => Entity?.Connection;

    /// <summary>Whether the name has wildcards (* or ?), so that it may stand for several entities or none.</summary>
    public bool IsPattern => Id is null && Name is not null && QrsNamePattern.HasWildcards(Name);

    /// <summary>The type of another family's object given by mistake (a stream where an app is asked for).</summary>
    internal string? WrongKind { get; }

    /// <summary>The family's full type, e.g. App.</summary>
    internal abstract Type FullType { get; }

    /// <summary>Whether an entity whose full type is named <paramref name="fullTypeName"/> is one this identity can name.</summary>
    internal virtual bool IsOfKind(string fullTypeName) => fullTypeName.Equals(FullType.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The property a name is matched against: name, or what a family without one is known by (a virtual proxy's prefix).</summary>
    internal virtual string NameProperty => "name";

    /// <summary>The value of <see cref="NameProperty"/> of a candidate.</summary>
    internal virtual string? NameOf(IQrsEntity entity) => (entity as IQrsNamedEntity)?.Name;

    /// <summary>The QRS filter that narrows a lookup by name to its candidates; null when none helps.</summary>
    internal virtual string? NameFilter(QrsNamePattern pattern) => pattern.ServerFilter(NameProperty).Filter;

    /// <summary>Whether a candidate is one the name stands for.</summary>
    internal virtual bool NameMatches(QrsNamePattern pattern, IQrsEntity candidate) => pattern.IsMatch(NameOf(candidate));

    /// <summary>The family's noun for error ids: App, Stream, ReloadTask.</summary>
    internal virtual string Noun => FullType.Name;

    /// <summary>The command that lists the family, named in errors' advice.</summary>
    internal virtual string ListCommand => $"Get-Qrs{Noun}";

    /// <summary>The family's noun for messages: app, stream, reload task.</summary>
    internal string Words => WordsOf(Noun);

    internal static string WordsOf(string noun) =>
        System.Text.RegularExpressions.Regex.Replace(noun, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    public override string ToString() => Name is not null && Id is not null ? $"{Name} ({Id})" : Name ?? Id?.ToString() ?? Given?.ToString() ?? string.Empty;

    internal static string Article(string noun) => "AEIOU".IndexOf(char.ToUpperInvariant(noun[0])) >= 0 ? "an" : "a";

    private static Guid? AsGuid(string? text) => Guid.TryParse(text, out Guid id) ? id : null;
}

/// <summary>The identity of one family's entities: <typeparamref name="TFull"/> and <typeparamref name="TCondensed"/>.</summary>
public abstract class QrsIdentity<TFull, TCondensed> : QrsIdentity
    where TFull : QrsEntity, IQrsEntity
    where TCondensed : QrsEntity, IQrsEntity
{
    private protected QrsIdentity(object value)
        : base(value)
    {
    }

    internal override Type FullType => typeof(TFull);

    /// <summary>The entities a name or id is looked up among, narrowed by a QRS filter.</summary>
    internal virtual System.Collections.Generic.IAsyncEnumerable<IQrsEntity> CandidatesAsync(QrsClient client, string? filter, System.Threading.CancellationToken cancellation) =>
        client.ListAsync<TCondensed>(new QrsQuery(filter), cancellation);
}

/// <summary>Lets PowerShell bind names, ids, entities and objects with an Id to any identity type.</summary>
public sealed class QrsIdentityConverter : PSTypeConverter
{
    public override bool CanConvertFrom(object sourceValue, Type destinationType) =>
        typeof(QrsIdentity).IsAssignableFrom(destinationType) && sourceValue is not null && !(sourceValue is PSObject { BaseObject: System.Collections.IEnumerable and not string });

    public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
    {
        try
        {
            return Activator.CreateInstance(destinationType, sourceValue)!;
        }
        catch (System.Reflection.TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

    public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
        throw new NotSupportedException();
}
