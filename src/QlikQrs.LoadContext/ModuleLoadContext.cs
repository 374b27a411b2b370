using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace QlikQrs.LoadContext;

/// <summary>
/// The AssemblyLoadContext that holds QlikQrs and its third-party dependencies on PowerShell 7, so that a session
/// in which another module already loaded other versions of the same assemblies (Microsoft.Extensions.*,
/// BouncyCastle, ...) can still import QlikQrs, and the other way round.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly Dictionary<string, ModuleLoadContext> s_contexts = new(StringComparer.OrdinalIgnoreCase);
    private static readonly object s_lock = new();

    private readonly string _directory;
    private readonly AssemblyName _sharedAssemblyName = typeof(ModuleLoadContext).Assembly.GetName();

    private ModuleLoadContext(string directory)
        : base($"QlikQrs ({directory})", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The folder the module's assemblies are loaded from.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Loads the module assembly at <paramref name="moduleAssemblyPath"/> into its own context and returns it for
    /// <c>Import-Module -Assembly</c>. One context per module folder: importing the same module again returns the
    /// same assembly, while two installed versions of QlikQrs each get a context of their own.
    /// </summary>
    public static Assembly Initialize(string moduleAssemblyPath)
    {
        string fullPath = Path.GetFullPath(moduleAssemblyPath);
        string directory = Path.GetDirectoryName(fullPath)!;
        lock (s_lock)
        {
            if (!s_contexts.TryGetValue(directory, out ModuleLoadContext? context))
            {
                context = new ModuleLoadContext(directory);
                s_contexts.Add(directory, context);
            }

            return context.LoadFromAssemblyPath(fullPath);
        }
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The loader itself stays shared with the default context so that there is only one ModuleLoadContext type.
        if (AssemblyName.ReferenceMatchesDefinition(_sharedAssemblyName, assemblyName))
        {
            return typeof(ModuleLoadContext).Assembly;
        }

        string candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        // Anything not shipped with the module (System.Management.Automation, the BCL) comes from the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }
}
