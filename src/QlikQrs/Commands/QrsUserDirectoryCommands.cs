using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Users;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets user directories by name (wildcards allowed), id or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsUserDirectory")]
[OutputType(typeof(UserDirectory))]
public sealed class GetQrsUserDirectoryCommand : QrsConnectedCmdlet
{
    /// <summary>User directories with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(QrsNameCompleter<UserDirectory>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        await foreach (UserDirectory directory in QrsFinder.FindAsync<UserDirectory>(ConnectionFor(null).Client, Name, Id, Filter, "name", cancellation).ConfigureAwait(false))
        {
            PostObject(directory);
        }
    }
}

/// <summary>Synchronizes user directories with their source; with -Wait, waits for each sync and reports the users it added, changed and removed.</summary>
[Cmdlet(VerbsData.Sync, "QrsUserDirectory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsUserDirectorySyncResult))]
public sealed class SyncQrsUserDirectoryCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<UserDirectory>))]
    [SupportsWildcards]
    public UserDirectoryIdentity UserDirectory { get; set; } = null!;

    /// <summary>Waits for each sync to end, with progress, and outputs what it changed.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Seconds to wait for a sync (QrsUserDirectorySyncTimeout); the sync goes on. No limit when left out.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellation)
    {
        bool wait = Wait.IsPresent;
        TimeSpan? timeout = Timeout is int seconds ? TimeSpan.FromSeconds(seconds) : null;
        return ForEachAsync(UserDirectory, "Synchronize", async (client, found) =>
        {
            if (!wait)
            {
                await client.SyncUserDirectoriesAsync(new[] { found.Id!.Value }, cancellation).ConfigureAwait(false);
                return;
            }

            Model.UserDirectory directory = await client.GetAsync<Model.UserDirectory>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
            int activityId = ActivityId(directory.Id);
            string activity = $"Synchronizing the user directory '{directory.Name}'";
            var progress = new Progress(record => PostProgress(record), activityId, activity);
            try
            {
                PostObject(await new QrsUserDirectorySync(client).RunAsync(directory, timeout, progress, cancellation).ConfigureAwait(false));
            }
            finally
            {
                CompleteProgress(activityId, activity);
            }
        }, cancellation);
    }

    /// <summary>Turns each status seen into a progress record: the sync's phase and how long the wait has lasted.</summary>
    private sealed class Progress(Action<ProgressRecord> post, int activityId, string activity) : IProgress<(UserDirectorySyncStatus Status, TimeSpan Elapsed)>
    {
        public void Report((UserDirectorySyncStatus Status, TimeSpan Elapsed) value) =>
            post(new ProgressRecord(activityId, activity, $"{value.Status}, {value.Elapsed:hh\\:mm\\:ss} elapsed"));
    }
}

/// <summary>Deletes user directories; with -IncludeUsers, their users too. ConfirmImpact High: asks unless -Confirm:$false.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsUserDirectory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveQrsUserDirectoryCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<UserDirectory>))]
    [SupportsWildcards]
    public UserDirectoryIdentity UserDirectory { get; set; } = null!;

    /// <summary>Deletes the directory's users too (QRS's deleteudandusers); without it the users stay.</summary>
    [Parameter]
    public SwitchParameter IncludeUsers { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        UserDirectoryIdentity identity = UserDirectory;
        bool includeUsers = IncludeUsers.IsPresent;
        QrsClient client = ConnectionFor(identity).Client;
        await foreach (IQrsEntity found in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            Model.UserDirectory directory = await client.GetAsync<Model.UserDirectory>(found.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
            string users = string.Empty;
            if (includeUsers)
            {
                long count = await client.CountAsync(QrsEntityFamilies.OfType(typeof(User))!, $"userDirectory eq {QrsFilterBuilder.Literal(directory.UserDirectoryName ?? directory.Name)}", cancellation).ConfigureAwait(false);
                users = $" and its {count} user{(count == 1 ? string.Empty : "s")}";
            }

            if (!await ShouldProcessAsync($"the user directory {QrsIdentityResolver.Describe(directory)}{users}", "Remove").ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                if (includeUsers)
                {
                    await client.DeleteUserDirectoryAndUsersAsync(directory.Id!.Value, cancellation).ConfigureAwait(false);
                }
                else
                {
                    await client.DeleteAsync(QrsEntityFamily.Of(directory), directory.Id!.Value, cancellation).ConfigureAwait(false);
                }
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(directory).ToErrorRecord());
            }
        }
    }
}
