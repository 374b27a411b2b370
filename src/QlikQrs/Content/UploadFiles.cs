using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Commands;

namespace QlikQrs.Content;

/// <summary>The local files an upload cmdlet is given: paths as written (Get-ChildItem pipes several), each checked before it is sent.</summary>
internal static class UploadFiles
{
    public static IReadOnlyList<FileInfo> Resolve(SessionState state, IEnumerable<string> paths, string parameter) =>
        paths.Select(path => new FileInfo(FileSystemPaths.Resolve(state, path, parameter))).ToList();

    /// <summary>QrsFileNotFound for a path that is no file (missing, or a folder); null for a file.</summary>
    public static ErrorRecord? NotAFile(FileInfo file) => file.Exists
        ? null
        : new QrsCommandException("QrsFileNotFound", ErrorCategory.ObjectNotFound,
            Directory.Exists(file.FullName) ? $"'{file.FullName}' is a folder, not a file." : $"'{file.FullName}' does not exist.", file.FullName,
            "Give the path of a file; pipe Get-ChildItem to take the files of a folder.").ErrorRecord;
}
