using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The paths of QRS's description that the sandbox cannot serve, because what they act on does not exist here (log
/// files on disk, a security rule engine): they answer 501 saying so, never the 404 of a path QRS does not have. Checked after every handler.
/// </summary>
public sealed partial class QrsApi
{
    public const string NoSuchPathText = "Not found: QRS has no such path.";

    /// <summary>The paths as the description writes them (a <c>{parameter}</c> is any one segment), with the reason.</summary>
    private static readonly Dictionary<string, string> s_unserved = new(StringComparer.Ordinal)
    {
        ["/log/archive/{logrootsubfolder}"] = "it keeps no log files to archive",
        ["/log/archive/folder/{logfolder}"] = "it keeps no log files to archive",
        ["/log/rolled/{logrootsubfolder}"] = "it keeps no log files to roll",
        ["/systemrule/security/parsetree"] = "it evaluates no security rules",
        ["/app/{id}/replace/target"] = "the hub's replace-target flow is not modelled; PUT /qrs/app/{id}/replace replaces an app",
    };

    /// <summary>The description's paths the sandbox answers with 501.</summary>
    public static IEnumerable<string> UnservedPaths => s_unserved.Keys;

    /// <summary>The 404 of a path that is not in QRS's description, told apart from an entity that is not found.</summary>
    private static QrsException NoSuchPath() => QrsException.NotFound(NoSuchPathText);

    private static bool TryUnserved(HttpContext context, string[] s)
    {
        foreach (var (path, reason) in s_unserved)
        {
            string[] pattern = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (pattern.Length == s.Length && pattern.Zip(s).All(p => p.First.StartsWith('{') || p.First == p.Second))
            {
                throw new QrsException(501, $"The sandbox does not serve {context.Request.Path}: {reason}.");
            }
        }

        return false;
    }
}
