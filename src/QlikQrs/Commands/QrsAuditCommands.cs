using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Users;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>The rule audits of QRS: security rules, license rules, sync rules.</summary>
public enum QrsAuditKind
{
    Security,
    License,
    Sync,
}

/// <summary>Shows who may do what on which resources, from QRS's audit of its security (license, sync) rules.</summary>
[Cmdlet(VerbsCommon.Get, "QrsAccessAudit")]
[OutputType(typeof(QrsAccessAuditEntry))]
public sealed class GetQrsAccessAuditCommand : QrsConnectedCmdlet
{
    /// <summary>The users to audit (DIR\userid, wildcards allowed); every user when left out.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<User>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public UserIdentity[]? User { get; set; }

    /// <summary>The kind of resource: App, Stream, ReloadTask, DataConnection... (App when left out).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(QrsEntityTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string ResourceType { get; set; } = "App";

    /// <summary>Only resources with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Resource { get; set; }

    /// <summary>Only entries that grant every one of these actions.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public SecurityActions[]? Action { get; set; }

    /// <summary>Which rules to audit: Security (when left out), License or Sync.</summary>
    [Parameter]
    public QrsAuditKind Audit { get; set; } = QrsAuditKind.Security;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        UserIdentity[] users = User ?? Array.Empty<UserIdentity>();
        string[] resources = Resource ?? Array.Empty<string>();
        SecurityActions[] actions = Action ?? Array.Empty<SecurityActions>();
        QrsAuditKind kind = Audit;
        QrsEntityFamily family = QrsEntityFamilies.Find(ResourceType) ?? throw new QrsCommandException("QrsAccessAuditResourceTypeUnknown", ErrorCategory.InvalidArgument,
            $"-ResourceType '{Http.QrsUrl.Shown(ResourceType)}' is not a kind of QRS entity.", ResourceType, "Give a type as Get-QrsEntity names it: App, Stream, ReloadTask, DataConnection...");
        QrsClient client = ConnectionFor(users.FirstOrDefault(u => u.Connection is not null)).Client;

        var userIds = new List<Guid>();
        foreach (UserIdentity identity in users)
        {
            await foreach (IQrsEntity found in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
            {
                userIds.Add(found.Id!.Value);
            }
        }

        if (users.Length > 0 && userIds.Count == 0)
        {
            return;
        }

        QrsNamePattern[] patterns = resources.Select(r => new QrsNamePattern(r)).ToArray();
        (string? resourceFilter, _) = patterns.Length == 0 ? (null, true) : QrsNamePattern.ServerFilter(patterns);
        var parameters = new AuditParameters
        {
            ResourceType = family.EntityType.Name,
            ResourceFilter = resourceFilter ?? string.Empty,
            UserFilter = userIds.Count == 0 ? string.Empty : string.Join(" or ", userIds.Distinct().Select(id => $"id eq {id}")),
        };
        Audit audit = await client.AuditAsync(kind.ToString(), parameters, cancellation).ConfigureAwait(false);
        foreach (QrsAccessAuditEntry entry in QrsAccessAudit.Entries(audit, family.EntityType.Name)
            .Where(e => patterns.Length == 0 || patterns.Any(p => p.IsMatch(e.Resource)))
            .Where(e => QrsAccessAudit.Grants(e, actions)))
        {
            PostObject(entry);
        }
    }
}

/// <summary>What a user may do with an entity: the connection's user's privileges as QRS's rules grant them (previewprivileges).</summary>
[Cmdlet(VerbsCommon.Get, "QrsPrivilege")]
[OutputType(typeof(QrsPrivilege))]
public sealed class GetQrsPrivilegeCommand : QrsConnectedCmdlet
{
    /// <summary>An entity any Get- cmdlet returned (an app, a stream, a task, a user...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        if (QrsEntityFamilies.OfType(entity.GetType()) is not QrsEntityFamily family || entity is not IQrsEntity { Id: Guid id })
        {
            throw new QrsCommandException("QrsWrongEntityType", ErrorCategory.InvalidArgument,
                $"'{entity}' is a {entity.GetType().Name}, which QRS keeps no privileges for.", entity, "Pipe an entity a Get- cmdlet returned: an app, a stream, a task, a user...");
        }

        QrsClient client = ConnectionFor(entity).Client;
        if (family.EntityType != entity.GetType())
        {
            entity = await client.GetAsync(family, id, cancellation: cancellation).ConfigureAwait(false);
        }

        IReadOnlyList<string> privileges = await client.PreviewPrivilegesAsync(entity, cancellation).ConfigureAwait(false);
        PostObject(new QrsPrivilege
        {
            Type = family.EntityType.Name,
            Id = id,
            Name = (entity as IQrsNamedEntity)?.Name,
            User = client.Connection.User,
            Privileges = privileges,
        });
    }
}
