using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using QlikQrs.Users;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets users by DIR\userid (wildcards allowed), id, directory, role, inactivity or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsUser", DefaultParameterSetName = ListSet)]
[OutputType(typeof(User))]
public sealed class GetQrsUserCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>Users as DIR\userid, or a user id or display name; * and ? are wildcards in either part.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<User>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Identity { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Only users of these user directories (CORP, LDAP...); wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<UserDirectory>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Directory { get; set; }

    /// <summary>Only users with one of these roles (RootAdmin, ContentAdmin...).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Role { get; set; }

    /// <summary>Only users QRS marks inactive.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Inactive { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Users given by object (User, UserCondensed, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public UserIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        var query = new QrsUserQuery(Identity, Id, Directory, Role, Inactive.IsPresent, Filter);
        await foreach (User user in QrsUserFinder.FindAsync(ConnectionFor(null).Client, query, cancellation).ConfigureAwait(false))
        {
            PostObject(user);
        }
    }
}

/// <summary>Adds a user to QRS (as the first login or a directory sync would), with roles.</summary>
[Cmdlet(VerbsCommon.New, "QrsUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(User))]
public sealed class NewQrsUserCommand : QrsChangeCmdlet
{
    /// <summary>The new user as DIR\userid.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = null!;

    /// <summary>The display name; the user id when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The user's roles (RootAdmin, ContentAdmin, SecurityAdmin...).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public string[]? Role { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string identity = Identity;
        string? name = Name;
        string[] roles = QrsUserRoles.Checked(Role ?? Array.Empty<string>(), nameof(Role));
        int split = identity.IndexOf('\\');
        if (split <= 0 || split == identity.Length - 1 || identity.IndexOf('\\', split + 1) >= 0 || QrsNamePattern.HasWildcards(identity) || identity.Any(char.IsControl))
        {
            throw new QrsCommandException("QrsUserIdentityInvalid", ErrorCategory.InvalidArgument,
                $"-Identity '{QrsUrl.Shown(identity)}' is not a user as DIR\\userid.", identity, @"Give the directory and the user id, without wildcards: New-QrsUser 'CORP\jdoe'.");
        }

        string directory = identity.Substring(0, split);
        string userId = identity.Substring(split + 1);
        QrsClient client = ConnectionFor(null).Client;
        await foreach (UserCondensed _ in client.ListAsync<UserCondensed>(new QrsQuery(UserFilter.For(string.Empty, identity)), cancellation).ConfigureAwait(false))
        {
            throw new QrsCommandException("QrsUserExists", ErrorCategory.ResourceExists, $"The user '{identity}' exists already on {client.Connection.ComputerName}.", identity,
                "Set-QrsUser changes a user's name and roles.");
        }

        if (await ShouldProcessAsync($"the user '{identity}'{(roles.Length == 0 ? string.Empty : " with the roles " + string.Join(", ", roles))}", "Create").ConfigureAwait(false))
        {
            var user = new User { UserDirectory = directory, UserId = userId, Name = name ?? userId, Roles = roles.ToList() };
            PostObject(await client.CreateAsync(QrsEntityFamilies.OfType(typeof(User))!, user, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Renames a user or changes their roles: replaces them (-Role), adds (-AddRole) or removes (-RemoveRole) some.</summary>
[Cmdlet(VerbsCommon.Set, "QrsUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(User))]
public sealed class SetQrsUserCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<User>))]
    [SupportsWildcards]
    public UserIdentity Identity { get; set; } = null!;

    /// <summary>The new display name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The user's roles from now on, replacing those they have; an empty list removes them all.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[]? Role { get; set; }

    /// <summary>Roles to add to those the user has.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddRole { get; set; }

    /// <summary>Roles to take away; a role the user does not have is no error.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveRole { get; set; }

    /// <summary>Writes the changed user to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        UserIdentity identity = Identity;
        string? name = Name;
        string[]? roles = Role is null ? null : QrsUserRoles.Checked(Role, nameof(Role));
        string[]? add = AddRole is null ? null : QrsUserRoles.Checked(AddRole, nameof(AddRole));
        string[]? remove = RemoveRole is null ? null : QrsUserRoles.Checked(RemoveRole, nameof(RemoveRole));
        string?[] changes =
        {
            name is null ? null : $"name to '{name}'",
            roles is null ? null : $"roles to '{string.Join(", ", roles)}'",
            add is null ? null : $"add roles '{string.Join(", ", add)}'",
            remove is null ? null : $"remove roles '{string.Join(", ", remove)}'",
        };
        await UpdateEachAsync(identity, changes, "-Name, -Role, -AddRole or -RemoveRole", user =>
        {
            user.Name = name ?? user.Name;
            user.Roles = QrsUserRoles.Apply(user.Roles, roles, add, remove);
        }, PassThru.IsPresent, cancellation).ConfigureAwait(false);
    }
}

/// <summary>Deletes users from QRS. ConfirmImpact High: asks unless -Confirm:$false.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveQrsUserCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<User>))]
    [SupportsWildcards]
    public UserIdentity Identity { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ForEachAsync(Identity, "Remove", (client, user) => client.DeleteAsync(QrsEntityFamily.Of(user), user.Id!.Value, cancellation), cancellation);
}
