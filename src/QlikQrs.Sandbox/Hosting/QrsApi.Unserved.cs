using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The paths of QRS's description that the sandbox cannot serve, because what they act on does not exist here (log
/// files on disk, the proxy's sessions): they answer 501 saying so, never the 404 of a path QRS does not have.
/// </summary>
public sealed partial class QrsApi
{
    public const string NoSuchPathText = "Not found: QRS has no such path.";

    /// <summary>Path patterns (<c>*</c> is one segment) with the reason the sandbox does not serve them.</summary>
    private static readonly (string[] Pattern, string Reason)[] s_unserved =
    {
        (["log", "archive", "*"], "it keeps no log files to archive"),
        (["log", "archive", "folder", "*"], "it keeps no log files to archive"),
        (["log", "rolled", "*"], "it keeps no log files to roll"),
    };

    /// <summary>The 404 of a path that is not in QRS's description, told apart from an entity that is not found.</summary>
    private static QrsException NoSuchPath() => QrsException.NotFound(NoSuchPathText);

    private static bool TryUnserved(string[] s)
    {
        foreach (var (pattern, reason) in s_unserved)
        {
            if (pattern.Length == s.Length && pattern.Zip(s).All(p => p.First == "*" || p.First == p.Second))
            {
                throw new QrsException(501, $"The sandbox does not serve /qrs/{string.Join('/', s)}: {reason}.");
            }
        }

        return false;
    }
}
