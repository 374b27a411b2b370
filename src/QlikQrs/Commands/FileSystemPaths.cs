using System;
using System.Management.Automation;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>Paths the user gives, relative to the PowerShell location, as file system paths.</summary>
internal static class FileSystemPaths
{
    /// <summary>
    /// The file system path of <paramref name="path"/>; one with a NUL, of a drive that does not exist (file://,
    /// http://) or of another provider (Cert:\, Env:) is a QrsInvalidFilePath error that names it.
    /// </summary>
    public static string Resolve(SessionState state, string path, string? parameter = null)
    {
        try
        {
            if (path.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("it has a NUL character");
            }

            string resolved = state.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            return provider.Name == "FileSystem" ? resolved : throw new ArgumentException($"it is on the {provider.Name} drive, not in the file system");
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or SessionStateException or ProviderInvocationException)
        {
            string named = parameter is null ? $"'{QrsUrl.Shown(path)}'" : $"-{parameter} '{QrsUrl.Shown(path)}'";
            throw new QrsCommandException("QrsInvalidFilePath", ErrorCategory.InvalidArgument, $"{named} is not a file path: {exception.Message.TrimEnd('.')}.", path,
                "Give a path in the file system, such as ./export or C:\\Temp\\export; URLs are not read.");
        }
    }
}
