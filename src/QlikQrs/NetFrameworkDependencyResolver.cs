#if NETFRAMEWORK
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace QlikQrs;

/// <summary>
/// Windows PowerShell 5.1 has a single load context and applies no binding redirects to modules, so a dependency
/// built against another version of a shared assembly (System.Memory, System.Runtime.CompilerServices.Unsafe, ...)
/// fails to bind. While QlikQrs is imported, any assembly it ships is resolved from its own folder, whatever version
/// was asked for. This is the one process-wide hook of the module, added on import and removed on Remove-Module.
/// </summary>
public sealed class NetFrameworkDependencyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string s_directory = Path.GetDirectoryName(typeof(NetFrameworkDependencyResolver).Assembly.Location)!;

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        string path = Path.Combine(s_directory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
#endif
