using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>Users as admins write them: DIR\userid (QRS's directory and user id), or the user's display name.</summary>
public static class UserFilter
{
    /// <summary>The filter on <paramref name="property"/> (owner, user, ...) that finds the user.</summary>
    public static string For(string property, string user)
    {
        string prefix = string.IsNullOrEmpty(property) ? string.Empty : property + ".";
        int split = user.IndexOf('\\');
        return split > 0
            ? $"{prefix}userDirectory eq {QrsFilterBuilder.Literal(user.Substring(0, split))} and {prefix}userId eq {QrsFilterBuilder.Literal(user.Substring(split + 1))}"
            : $"{prefix}name eq {QrsFilterBuilder.Literal(user)}";
    }

    public static async Task<UserCondensed> FindOneAsync(QrsClient client, string user, CancellationToken cancellation)
    {
        var found = new List<UserCondensed>();
        await foreach (UserCondensed candidate in client.ListAsync<UserCondensed>(new QrsQuery(For(string.Empty, user)), cancellation).ConfigureAwait(false))
        {
            found.Add(candidate);
        }

        return found.Count switch
        {
            1 => found[0],
            0 => throw new QrsCommandException("QrsUserNotFound", ErrorCategory.ObjectNotFound, $"There is no user '{user}' on {client.Connection.ComputerName}.", user,
                @"Give the user as DIR\userid, as the QMC shows it."),
            _ => throw new QrsCommandException("QrsUserAmbiguous", ErrorCategory.InvalidArgument, $"{found.Count} users are named '{user}'.", user,
                @"Give the user as DIR\userid."),
        };
    }
}

/// <summary>A name made fit for a file name on every platform: characters Windows forbids become '_'.</summary>
public static class SafeFileName
{
    private static readonly char[] s_forbidden = { '<', '>', ':', '"', '/', '\\', '|', '?', '*' };

    public static string For(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(c < 32 || Array.IndexOf(s_forbidden, c) >= 0 ? '_' : c);
        }

        string safe = text.ToString().Trim().TrimEnd('.');
        return safe.Length == 0 ? "app" : safe;
    }
}
