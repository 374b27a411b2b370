using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using QlikQrs.Tasks;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Users;

/// <summary>What a user directory sync changed: the users it added, changed and removed (QRS keeps removed users, marked removedExternally).</summary>
public sealed class QrsUserDirectorySyncResult
{
    public string UserDirectory { get; init; } = string.Empty;

    public QrsDateTime? Started { get; init; }

    public QrsDateTime? Ended { get; init; }

    public IReadOnlyList<User> Added { get; init; } = Array.Empty<User>();

    public IReadOnlyList<User> Changed { get; init; } = Array.Empty<User>();

    public IReadOnlyList<User> Removed { get; init; } = Array.Empty<User>();

    public override string ToString() => $"{UserDirectory}: {Added.Count} added, {Changed.Count} changed, {Removed.Count} removed";
}

/// <summary>
/// Runs a user directory sync and waits for it: the directory's users are read before and after, the sync is started,
/// and the directory is polled until it is idle again with a later start than before, reporting its status on the way.
/// </summary>
public sealed class QrsUserDirectorySync(QrsClient client)
{
    public async Task<QrsUserDirectorySyncResult> RunAsync(UserDirectory directory, TimeSpan? timeout, IProgress<(UserDirectorySyncStatus Status, TimeSpan Elapsed)>? progress, CancellationToken cancellation)
    {
        Guid id = directory.Id!.Value;
        string name = directory.UserDirectoryName ?? directory.Name ?? id.ToString();
        Dictionary<Guid, User> before = await UsersAsync(name, cancellation).ConfigureAwait(false);
        DateTime? startedBefore = directory.SyncLastStarted is { IsNever: false } previous ? previous.Value : null;
        await client.SyncUserDirectoriesAsync(new[] { id }, cancellation).ConfigureAwait(false);

        DateTime began = DateTime.UtcNow;
        TimeSpan interval = QrsTaskWaiter.FirstPoll;
        UserDirectory now;
        while (true)
        {
            now = await client.GetAsync<UserDirectory>(id, cancellation: cancellation).ConfigureAwait(false);
            bool started = now.SyncLastStarted is { IsNever: false } last && (startedBefore is null || last.Value > startedBefore.Value);
            if (started && now.SyncStatus == UserDirectorySyncStatus.Idle)
            {
                break;
            }

            TimeSpan elapsed = DateTime.UtcNow - began;
            progress?.Report((now.SyncStatus ?? UserDirectorySyncStatus.Idle, elapsed));
            if (timeout is TimeSpan limit && elapsed >= limit)
            {
                throw new QrsCommandException("QrsUserDirectorySyncTimeout", ErrorCategory.OperationTimeout,
                    $"The sync of the user directory '{name}' is still running ({now.SyncStatus}) after the wait of {limit:hh\\:mm\\:ss}; the wait ended, the sync goes on.",
                    directory, "Get-QrsUserDirectory shows its SyncStatus; Idle means the sync has ended.");
            }

            await Task.Delay(interval, cancellation).ConfigureAwait(false);
            interval = QrsTaskWaiter.NextPoll(interval);
        }

        Dictionary<Guid, User> after = await UsersAsync(name, cancellation).ConfigureAwait(false);
        bool Gone(User user) => user.RemovedExternally == true;
        return new QrsUserDirectorySyncResult
        {
            UserDirectory = name,
            Started = now.SyncLastStarted,
            Ended = now.SyncLastSuccessfulEnded,
            Added = after.Values.Where(u => !before.ContainsKey(u.Id!.Value)).ToList(),
            Removed = before.Values.Where(u => !after.TryGetValue(u.Id!.Value, out User? still) || (!Gone(u) && Gone(still))).ToList(),
            Changed = after.Values.Where(u => before.TryGetValue(u.Id!.Value, out User? was) && !(Gone(u) && !Gone(was)) && !Equals(was.ModifiedDate?.Text, u.ModifiedDate?.Text)).ToList(),
        };
    }

    private async Task<Dictionary<Guid, User>> UsersAsync(string directory, CancellationToken cancellation)
    {
        var users = new Dictionary<Guid, User>();
        await foreach (User user in client.ListAsync<User>(new QrsQuery($"userDirectory eq {QrsFilterBuilder.Literal(directory)}"), cancellation).ConfigureAwait(false))
        {
            users[user.Id!.Value] = user;
        }

        return users;
    }
}
