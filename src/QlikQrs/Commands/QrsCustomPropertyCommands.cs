using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tagging;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>
/// Sets, appends or removes the values of a custom property on entities of any kind, refusing what QRS's rules refuse:
/// a value that is not one of the definition's choices, a definition that does not apply to that kind of entity.
/// </summary>
[Cmdlet(VerbsCommon.Set, "QrsCustomProperty", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ReplaceSet)]
[OutputType(typeof(QrsEntity))]
public sealed class SetQrsCustomPropertyCommand : QrsEntityEditCmdlet
{
    private const string ReplaceSet = "Replace";
    private const string AppendSet = "Append";
    private const string RemoveSet = "Remove";

    /// <summary>The custom property definition: its name, id or object.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(QrsNameCompleter<CustomPropertyDefinition>))]
    public CustomPropertyDefinitionIdentity Name { get; set; } = null!;

    /// <summary>The values: they replace the entity's values of this property, or with -Append join them, or with -Remove leave.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ReplaceSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = AppendSet)]
    [Parameter(Position = 1, ParameterSetName = RemoveSet)]
    [ValidateNotNullOrEmpty]
    public string[] Value { get; set; } = null!;

    /// <summary>Adds the values to those the entity has, instead of replacing them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AppendSet)]
    public SwitchParameter Append { get; set; }

    /// <summary>Takes the values away; without -Value, every value of this property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveSet)]
    public SwitchParameter Remove { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        CustomPropertyDefinitionIdentity identity = Name;
        string[] values = Value ?? Array.Empty<string>();
        CustomPropertyChange change = ParameterSetName switch
        {
            AppendSet => CustomPropertyChange.Append,
            RemoveSet => CustomPropertyChange.Remove,
            _ => CustomPropertyChange.Replace,
        };
        bool passThru = PassThru.IsPresent;
        QrsEntityFamily family = FamilyCarrying(entity, "CustomProperties", "custom properties");
        QrsClient client = ConnectionFor(entity).Client;
        CustomPropertyDefinition definition;
        try
        {
            definition = await OnceAsync(client, "definition:" + identity, () => DefinitionAsync(client, identity, cancellation)).ConfigureAwait(false);
            values = change == CustomPropertyChange.Remove ? values : CustomPropertyValues.Allowed(definition, values);
        }
        catch (QrsCommandException refused)
        {
            throw RefusedFor(entity, refused);
        }

        if (CustomPropertyValues.NotApplicable(definition, family, entity) is QrsCommandException notApplicable)
        {
            throw notApplicable;
        }

        string listed = string.Join(", ", values.Select(v => $"'{v}'"));
        string action = change switch
        {
            CustomPropertyChange.Append => $"Add {listed} to the custom property '{definition.Name}'",
            CustomPropertyChange.Remove when values.Length == 0 => $"Remove every value of the custom property '{definition.Name}'",
            CustomPropertyChange.Remove => $"Remove {listed} from the custom property '{definition.Name}'",
            _ => $"Set the custom property '{definition.Name}' to {listed}",
        };
        Guid definitionId = definition.Id!.Value;
        await EditAsync(entity, family, action, json => CustomPropertyValues.Apply(json, definitionId, change, values), passThru, cancellation).ConfigureAwait(false);
    }

    private static async Task<CustomPropertyDefinition> DefinitionAsync(QrsClient client, CustomPropertyDefinitionIdentity identity, CancellationToken cancellation)
    {
        IQrsEntity found = await QrsIdentityResolver.ResolveOneAsync(client, identity, cancellation).ConfigureAwait(false);
        return await client.GetAsync<CustomPropertyDefinition>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
    }
}

/// <summary>Gets custom property definitions (full: value type, the kinds of entity they apply to, choices) by name, id or kind.</summary>
[Cmdlet(VerbsCommon.Get, "QrsCustomPropertyDefinition", DefaultParameterSetName = ListSet)]
[OutputType(typeof(CustomPropertyDefinition))]
public sealed class GetQrsCustomPropertyDefinitionCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>Definitions with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<CustomPropertyDefinition>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Only definitions that apply to this kind of entity (App, Stream, User, ReloadTask...).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(CustomPropertyObjectTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ObjectType { get; set; }

    /// <summary>Definitions given by object (or an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public CustomPropertyDefinitionIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        string? objectType = ObjectType is null ? null : CustomPropertyObjectTypes.Normalise(ObjectType);
        await foreach (CustomPropertyDefinition definition in QrsFinder.FindAsync<CustomPropertyDefinition>(ConnectionFor(null).Client, Name, Id, null, "name", cancellation).ConfigureAwait(false))
        {
            if (objectType is null || (definition.ObjectTypes ?? new List<string>()).Contains(objectType, StringComparer.OrdinalIgnoreCase))
            {
                PostObject(definition);
            }
        }
    }
}

/// <summary>Creates a custom property definition: the kinds of entity it applies to and, optionally, the values it allows.</summary>
[Cmdlet(VerbsCommon.New, "QrsCustomPropertyDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CustomPropertyDefinition))]
public sealed class NewQrsCustomPropertyDefinitionCommand : QrsChangeCmdlet
{
    /// <summary>The name; unique on the site.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The kinds of entity it applies to: App, Stream, User, ReloadTask, DataConnection...</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(CustomPropertyObjectTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] ObjectType { get; set; } = null!;

    /// <summary>The values it allows; any value when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ChoiceValue { get; set; }

    [Parameter]
    public string? Description { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string name = Name;
        string[] objectTypes = ObjectType.Select(CustomPropertyObjectTypes.Normalise).Distinct().ToArray();
        string[] choices = ChoiceValue?.Distinct().ToArray() ?? Array.Empty<string>();
        string? description = Description;
        QrsClient client = ConnectionFor(null).Client;
        if (await ShouldProcessAsync($"the custom property definition '{name}' for {string.Join(", ", objectTypes)}", "Create").ConfigureAwait(false))
        {
            var definition = new CustomPropertyDefinition
            {
                Name = name,
                ValueType = "Text",
                ObjectTypes = objectTypes.ToList(),
                ChoiceValues = choices.ToList(),
                Description = description,
            };
            PostObject(await client.CreateAsync(QrsEntityFamilies.OfType(typeof(CustomPropertyDefinition))!, definition, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Changes a custom property definition: adds or removes choices, the kinds of entity it applies to, its name or description.</summary>
[Cmdlet(VerbsCommon.Set, "QrsCustomPropertyDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CustomPropertyDefinition))]
public sealed class SetQrsCustomPropertyDefinitionCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<CustomPropertyDefinition>))]
    [SupportsWildcards]
    public CustomPropertyDefinitionIdentity Definition { get; set; } = null!;

    /// <summary>Adds these values to the choices.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddChoice { get; set; }

    /// <summary>Takes these values out of the choices.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveChoice { get; set; }

    /// <summary>The kinds of entity it applies to, instead of those it has.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CustomPropertyObjectTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ObjectType { get; set; }

    /// <summary>The new name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public string? Description { get; set; }

    /// <summary>Writes the changed definition to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        CustomPropertyDefinitionIdentity identity = Definition;
        string[] add = AddChoice ?? Array.Empty<string>();
        string[] remove = RemoveChoice ?? Array.Empty<string>();
        string[]? objectTypes = ObjectType?.Select(CustomPropertyObjectTypes.Normalise).Distinct().ToArray();
        string? name = Name;
        string? description = Description;
        string?[] changes =
        {
            add.Length == 0 ? null : $"add choice {string.Join(", ", add.Select(c => $"'{c}'"))}",
            remove.Length == 0 ? null : $"remove choice {string.Join(", ", remove.Select(c => $"'{c}'"))}",
            objectTypes is null ? null : $"object types to {string.Join(", ", objectTypes)}",
            name is null ? null : $"name to '{name}'",
            description is null ? null : "description",
        };
        await UpdateEachAsync(identity, changes, "-AddChoice, -RemoveChoice, -ObjectType, -Name or -Description", definition =>
        {
            List<string> choices = definition.ChoiceValues ?? new List<string>();
            choices.AddRange(add.Where(c => !choices.Contains(c, StringComparer.Ordinal)).Distinct());
            choices.RemoveAll(c => remove.Contains(c, StringComparer.Ordinal));
            definition.ChoiceValues = choices;
            definition.ObjectTypes = objectTypes?.ToList() ?? definition.ObjectTypes;
            definition.Name = name ?? definition.Name;
            definition.Description = description ?? definition.Description;
        }, PassThru.IsPresent, cancellation).ConfigureAwait(false);
    }
}

/// <summary>Deletes custom property definitions, and with them their values on every entity. ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsCustomPropertyDefinition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveQrsCustomPropertyDefinitionCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<CustomPropertyDefinition>))]
    [SupportsWildcards]
    public CustomPropertyDefinitionIdentity Definition { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ForEachAsync(Definition, "Remove, with its values on every entity", (client, definition) => client.DeleteAsync(QrsEntityFamily.Of(definition), definition.Id!.Value, cancellation), cancellation);
}

/// <summary>Completes the kinds of entity that take custom properties.</summary>
public sealed class CustomPropertyObjectTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        CustomPropertyObjectTypes.All
            .Where(t => t.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(t => new CompletionResult(t, t, CompletionResultType.ParameterValue, t));
}
