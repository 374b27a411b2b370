#if NETFRAMEWORK
using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace QlikQrs;

/// <summary>
/// Windows PowerShell 5.1 has a single load context and applies no binding redirects to modules, so a dependency
/// built against an older version of a shared assembly (System.Memory, System.Runtime.CompilerServices.Unsafe, ...)
/// fails to bind. While QlikQrs is imported, such a request is answered from the module's own folder, by the rules of
/// <see cref="ModuleDependencies"/>. This is the one process-wide hook of the module: QlikQrs.psm1 registers it before
/// PowerShell reflects over the cmdlets, and unregisters it when the module is removed.
/// </summary>
public static class NetFrameworkDependencyResolver
{
    private static readonly ModuleDependencies s_dependencies =
        ModuleDependencies.In(Path.GetDirectoryName(typeof(NetFrameworkDependencyResolver).Assembly.Location)!);

    private static readonly SharedHook s_hook = new(
        () => AppDomain.CurrentDomain.AssemblyResolve += Resolve,
        () => AppDomain.CurrentDomain.AssemblyResolve -= Resolve);

    /// <summary>Hooks the resolver for one more import; returns the warning about other modules' versions, or null.</summary>
    public static string? Register()
    {
        s_hook.Acquire();
        return ModuleDependencies.ConflictWarning(s_dependencies.Conflicts(AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => !assembly.IsDynamic && assembly.Location.Length > 0)
            .Select(assembly => new LoadedAssembly(assembly.GetName(), assembly.Location, assembly.GlobalAssemblyCache))));
    }

    public static void Unregister() => s_hook.Release();

    private static Assembly? Resolve(object? sender, ResolveEventArgs args) =>
        s_dependencies.FileFor(new AssemblyName(args.Name)) is string path ? Assembly.LoadFrom(path) : null;
}
#endif
