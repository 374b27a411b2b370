using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>
/// The rules of Windows PowerShell 5.1's dependency resolver (NetFrameworkDependencyResolver, built for net472 only):
/// which requests it answers, which versions other modules have loaded that it warns about, and that its hook lives
/// exactly as long as some runspace has the module imported.
/// </summary>
public sealed class ModuleDependenciesTests : IDisposable
{
    private const string PollyToken = "c8a3ffc3f8f825cc";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("qlikqrs-dependencies-");
    private readonly ModuleDependencies _dependencies;

    public ModuleDependenciesTests()
    {
        _dependencies = new ModuleDependencies(_folder.FullName, new[]
        {
            (new AssemblyName($"Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}"), Path.Combine(_folder.FullName, "Polly.Core.dll")),
            (new AssemblyName("Microsoft.Extensions.Http, Version=9.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60"),
                Path.Combine(_folder.FullName, "Microsoft.Extensions.Http.dll")),
        });
    }

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=" + PollyToken, true)]
    [InlineData("Polly.Core, Version=7.2.0.0, Culture=neutral, PublicKeyToken=" + PollyToken, true)]
    [InlineData("polly.core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=" + PollyToken, true)]
    [InlineData("Polly.Core", true)]
    [InlineData("Polly.Core, Version=8.0.0.1, Culture=neutral, PublicKeyToken=" + PollyToken, false)]
    [InlineData("Polly.Core, Version=9.0.0.0, Culture=neutral, PublicKeyToken=" + PollyToken, false)]
    [InlineData("Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef", false)]
    [InlineData("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", false)]
    [InlineData("Polly.Core.resources, Version=8.0.0.0, Culture=fr, PublicKeyToken=" + PollyToken, false)]
    public void Answers_only_for_its_own_assemblies_at_or_below_the_version_it_ships(string requested, bool answered)
    {
        string? file = _dependencies.FileFor(new AssemblyName(requested));

        Assert.Equal(answered ? Path.Combine(_folder.FullName, "Polly.Core.dll") : null, file);
    }

    [Fact]
    public void Reads_what_it_ships_from_the_module_folder_and_passes_over_native_libraries()
    {
        string polly = typeof(Polly.ResiliencePipeline).Assembly.Location;
        File.Copy(polly, Path.Combine(_folder.FullName, "Polly.Core.dll"));
        File.WriteAllText(Path.Combine(_folder.FullName, "native.dll"), "not an assembly");

        ModuleDependencies shipped = ModuleDependencies.In(_folder.FullName);

        AssemblyName older = AssemblyName.GetAssemblyName(polly);
        older.Version = new Version(1, 0, 0, 0);
        Assert.Equal(Path.Combine(_folder.FullName, "Polly.Core.dll"), shipped.FileFor(older));
        Assert.Null(shipped.FileFor(new AssemblyName("native")));
    }

    [Fact]
    public void Names_both_versions_of_what_another_module_has_loaded()
    {
        string other = Path.Combine(Path.GetTempPath(), "OtherModule");
        IReadOnlyList<string> conflicts = _dependencies.Conflicts(new[]
        {
            Loaded("Microsoft.Extensions.Http, Version=6.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60", Path.Combine(other, "Microsoft.Extensions.Http.dll")),
            Loaded($"Polly.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", Path.Combine(other, "Polly.Core.dll")),
            Loaded("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", Path.Combine(other, "Newtonsoft.Json.dll")),
        });

        string conflict = Assert.Single(conflicts);
        Assert.Equal($"Microsoft.Extensions.Http 6.0.0.0 from '{Path.Combine(other, "Microsoft.Extensions.Http.dll")}' (QlikQrs ships 9.0.0.0)", conflict);
        string warning = ModuleDependencies.ConflictWarning(conflicts)!;
        Assert.Contains(conflict, warning);
        Assert.Contains("separate sessions", warning);
    }

    [Fact]
    public void Neither_the_framework_s_own_copies_nor_its_own_are_conflicts()
    {
        IReadOnlyList<string> conflicts = _dependencies.Conflicts(new[]
        {
            Loaded($"Polly.Core, Version=7.0.0.0, Culture=neutral, PublicKeyToken={PollyToken}", @"C:\Windows\Microsoft.Net\assembly\GAC_MSIL\Polly.Core\Polly.Core.dll", fromGlobalCache: true),
            Loaded("Microsoft.Extensions.Http, Version=6.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60", Path.Combine(_folder.FullName, "Microsoft.Extensions.Http.dll")),
        });

        Assert.Empty(conflicts);
        Assert.Null(ModuleDependencies.ConflictWarning(conflicts));
    }

    [Fact]
    public void The_hook_stays_while_any_import_holds_it()
    {
        var calls = new List<string>();
        var hook = new SharedHook(() => calls.Add("attach"), () => calls.Add("detach"));

        hook.Release();
        hook.Acquire();
        hook.Acquire();
        hook.Release();
        Assert.Equal(new[] { "attach" }, calls);

        hook.Release();
        hook.Release();
        hook.Acquire();
        Assert.Equal(new[] { "attach", "detach", "attach" }, calls);
    }

    private static LoadedAssembly Loaded(string name, string location, bool fromGlobalCache = false) => new(new AssemblyName(name), location, fromGlobalCache);
}
