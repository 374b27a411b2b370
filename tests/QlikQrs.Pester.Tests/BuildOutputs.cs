using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace QlikQrs.Pester.Tests;

/// <summary>What the build recorded in this test assembly: the repository, the staged module, Pester and the sandbox.</summary>
public static class BuildOutputs
{
    public static string RepoRoot { get; } = Metadata("QlikQrsRepoRoot");

    public static string ManifestPath { get; } = Metadata("QlikQrsManifest");

    /// <summary>tools/Pester.psd1 in the Pester package this project downloads from NuGet.</summary>
    public static string PesterModule { get; } = Metadata("PesterModule");

    /// <summary>The sandbox QRS built in this project's configuration.</summary>
    public static string SandboxAssembly { get; } = Metadata("QlikQrsSandboxAssembly");

    public static string TestsFolder => Path.Combine(RepoRoot, "tests");

    private static string Metadata(string key)
    {
        string? value = typeof(BuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        return value ?? throw new InvalidOperationException($"The test assembly was built without the {key} metadata.");
    }
}
