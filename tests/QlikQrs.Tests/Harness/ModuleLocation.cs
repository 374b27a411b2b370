using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace QlikQrs.Tests.Harness;

/// <summary>Where the build staged the module under test, as recorded in this test assembly at build time.</summary>
public static class ModuleLocation
{
    public static string ManifestPath { get; } = Metadata("QlikQrsManifest");

    public static string ModuleBase => Path.GetDirectoryName(ManifestPath)!;

    public static Version Version { get; } = Version.Parse(Metadata("QlikQrsVersion"));

    public static string RepoRoot { get; } = Metadata("QlikQrsRepoRoot");

    private static string Metadata(string key)
    {
        string? value = typeof(ModuleLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        return value ?? throw new InvalidOperationException($"The test assembly was built without the {key} metadata.");
    }
}
