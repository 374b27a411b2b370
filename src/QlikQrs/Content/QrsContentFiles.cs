using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;

namespace QlikQrs.Content;

/// <summary>
/// The files of a content library or an app's content, named as users name them: the path under the place's root
/// (logo.png, images/logo.png), taken from the path QRS serves each file at.
/// </summary>
public static class QrsContentFiles
{
    /// <summary>The files whose names match <paramref name="names"/> (* and ? are wildcards); a literal name that matches none is QrsContentFileNotFound.</summary>
    public static async Task<IReadOnlyList<QrsContentFile>> FindAsync(QrsClient client, QrsContentPlace place, string placeName, IReadOnlyList<string> names, CancellationToken cancellation)
    {
        IReadOnlyList<StaticContentReferenceCondensed> references = await client.ListContentFilesAsync(place, cancellation).ConfigureAwait(false);
        QrsContentFile[] files = references
            .Where(r => !string.IsNullOrEmpty(r.LogicalPath))
            .Select(r => new QrsContentFile(placeName, NameOf(place, r.LogicalPath!), r.LogicalPath!, null))
            .ToArray();
        QrsNamePattern[] patterns = names.Select(n => new QrsNamePattern(n)).ToArray();
        foreach (QrsNamePattern missing in patterns.Where(p => !QrsNamePattern.HasWildcards(p.Pattern) && !files.Any(f => p.IsMatch(f.ExternalPath))))
        {
            throw new QrsCommandException("QrsContentFileNotFound", ErrorCategory.ObjectNotFound,
                $"There is no file '{missing.Pattern}' in {place.Description}.", missing.Pattern,
                "Give the file's path in the library as the QMC lists it (logo.png, images/logo.png); * and ? are wildcards.");
        }

        return files.Where(f => patterns.Any(p => p.IsMatch(f.ExternalPath))).ToArray();
    }

    /// <summary>The file's path under the place's root: /content/Logos/images/logo.png is images/logo.png in Logos.</summary>
    public static string NameOf(QrsContentPlace place, string logicalPath)
    {
        string root = place.LogicalRoot + "/";
        string name = logicalPath.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? logicalPath.Substring(root.Length) : logicalPath.Substring(logicalPath.LastIndexOf('/') + 1);
        return Uri.UnescapeDataString(name);
    }
}
