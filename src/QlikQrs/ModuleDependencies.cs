using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace QlikQrs;

/// <summary>An assembly already loaded in the process, as the conflict check sees it.</summary>
internal sealed record LoadedAssembly(AssemblyName Name, string Location, bool FromGlobalAssemblyCache);

/// <summary>
/// The assemblies QlikQrs ships beside QlikQrs.dll, and the rules Windows PowerShell 5.1's resolver
/// (<c>NetFrameworkDependencyResolver</c>) follows with them: it answers only for these, only with a version at or
/// above the one asked for (never a lower one than a caller was built against), and it names what other modules have
/// already loaded in another version. Compiled for both targets so that the rules are tested on .NET.
/// </summary>
internal sealed class ModuleDependencies
{
    private readonly Dictionary<string, (AssemblyName Name, string Path)> _shipped;
    private readonly string _directory;

    public ModuleDependencies(string directory, IEnumerable<(AssemblyName Name, string Path)> shipped)
    {
        _directory = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        _shipped = shipped.ToDictionary(s => s.Name.Name!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every assembly in <paramref name="directory"/>, by the name in its metadata.</summary>
    public static ModuleDependencies In(string directory)
    {
        var shipped = new List<(AssemblyName, string)>();
        foreach (string path in Directory.GetFiles(directory, "*.dll"))
        {
            try
            {
                shipped.Add((AssemblyName.GetAssemblyName(path), path));
            }
            catch (BadImageFormatException)
            {
                // A native library is not an assembly anyone can ask the resolver for.
            }
        }

        return new ModuleDependencies(directory, shipped);
    }

    /// <summary>The file to answer a request for <paramref name="requested"/> with, or null to leave it to others.</summary>
    public string? FileFor(AssemblyName requested)
    {
        if (requested.Name is null || !_shipped.TryGetValue(requested.Name, out (AssemblyName Name, string Path) shipped))
        {
            return null;
        }

        if (requested.Version is Version wanted && shipped.Name.Version is Version ours && wanted > ours)
        {
            return null;
        }

        byte[]? wantedKey = requested.GetPublicKeyToken();
        byte[] ourKey = shipped.Name.GetPublicKeyToken() ?? Array.Empty<byte>();
        return wantedKey is { Length: > 0 } && !wantedKey.SequenceEqual(ourKey) ? null : shipped.Path;
    }

    /// <summary>
    /// The assemblies QlikQrs ships that another module has already loaded in another version, each naming both; the
    /// .NET Framework's own copies (global assembly cache) and QlikQrs's own are not conflicts.
    /// </summary>
    public IReadOnlyList<string> Conflicts(IEnumerable<LoadedAssembly> loaded) => loaded
        .Where(a => !a.FromGlobalAssemblyCache && a.Name.Name is not null && _shipped.ContainsKey(a.Name.Name))
        .Where(a => !string.Equals(Path.GetDirectoryName(Path.GetFullPath(a.Location)), _directory, StringComparison.OrdinalIgnoreCase))
        .Where(a => a.Name.Version != _shipped[a.Name.Name!].Name.Version)
        .OrderBy(a => a.Name.Name, StringComparer.OrdinalIgnoreCase)
        .Select(a => $"{a.Name.Name} {a.Name.Version} from '{a.Location}' (QlikQrs ships {_shipped[a.Name.Name!].Name.Version})")
        .ToArray();

    /// <summary>The warning for <paramref name="conflicts"/>, or null when there are none.</summary>
    public static string? ConflictWarning(IReadOnlyList<string> conflicts) => conflicts.Count == 0
        ? null
        : "Another module has already loaded other versions of assemblies that QlikQrs uses: " + string.Join("; ", conflicts) + ". " +
          "Windows PowerShell keeps one set of assemblies for all modules, so if a command of QlikQrs or of the other module fails with a " +
          "missing method or type, use the two modules in separate sessions, or use PowerShell 7, where QlikQrs keeps its dependencies to itself.";
}
