using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tagging;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gives entities of any kind that have an owner (apps, streams, data connections...) a new owner: DIR\userid.</summary>
[Cmdlet(VerbsCommon.Set, "QrsOwner", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsEntity))]
public sealed class SetQrsOwnerCommand : QrsEntityEditCmdlet
{
    /// <summary>The new owner: DIR\userid, or the user's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Owner")]
    [ValidateNotNullOrEmpty]
    public string User { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity entity = InputObject;
        string user = User;
        bool passThru = PassThru.IsPresent;
        QrsEntityFamily family = FamilyCarrying(entity, "Owner", "owner");
        QrsClient client = ConnectionFor(entity).Client;
        UserCondensed owner;
        try
        {
            owner = await OnceAsync(client, "user:" + user, () => UserFilter.FindOneAsync(client, user, cancellation)).ConfigureAwait(false);
        }
        catch (QrsCommandException unknown)
        {
            throw RefusedFor(entity, unknown);
        }

        await EditAsync(entity, family, $@"Set owner to {owner.UserDirectory}\{owner.UserId}",
            json => QrsEntityEdit.SetReference(json, "owner", owner.Id!.Value), passThru, cancellation).ConfigureAwait(false);
    }
}
