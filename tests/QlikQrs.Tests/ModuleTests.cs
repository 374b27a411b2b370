using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests;

public sealed class ModuleTests
{
    [Fact]
    public void ImportOfTheStagedManifestSucceedsAndReportsItsVersion()
    {
        using var session = new PowerShellSession();
        PSObject module = session.Run("Get-Module -Name QlikQrs").Single();

        Assert.Equal(ModuleLocation.Version, (Version)module.Properties["Version"].Value);
        Assert.Equal(ModuleLocation.ModuleBase, (string)module.Properties["ModuleBase"].Value);
    }

    [Fact]
    public void ExportsExactlyTheCmdletsTheManifestLists()
    {
        using var session = new PowerShellSession();
        string[] listed = session.Run("(Test-ModuleManifest -Path $args[0]).ExportedCmdlets.Keys", ModuleLocation.ManifestPath)
            .Output.Select(o => (string)o.BaseObject).Order().ToArray();
        string[] exported = session.Run("(Get-Command -Module QlikQrs).Name")
            .Output.Select(o => (string)o.BaseObject).Order().ToArray();

        Assert.NotEmpty(listed);
        Assert.Equal(listed, exported);
    }

    [Fact]
    public void ManifestDeclaresBothEditionsAndExplicitExports()
    {
        string manifest = File.ReadAllText(ModuleLocation.ManifestPath);
        using var session = new PowerShellSession(importModule: false);
        PSObject info = session.Run("Test-ModuleManifest -Path $args[0]", ModuleLocation.ManifestPath).Single();

        Assert.Equal(new[] { "Core", "Desktop" }, ((IEnumerable)info.Properties["CompatiblePSEditions"].Value).Cast<object>().Select(o => o.ToString()).Order());
        Assert.Equal(new Version(5, 1), (Version)info.Properties["PowerShellVersion"].Value);
        Assert.DoesNotMatch(new Regex(@"(Cmdlets|Functions|Aliases|Variables)ToExport\s*=\s*['""@(]*\*"), manifest);
        Assert.NotNull(info.Properties["ProjectUri"].Value);
        Assert.NotNull(info.Properties["LicenseUri"].Value);
        Assert.NotEmpty((IEnumerable)info.Properties["Tags"].Value);
    }

    [Fact]
    public void LoadsTheNet8AssemblyIntoTheModulesOwnLoadContext()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $assembly = (Get-Command -Name Import-QrsCertificate).ImplementingType.Assembly
            $assembly.Location
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name
            """);

        result.AssertNoErrors();
        Assert.Equal(Path.Combine(ModuleLocation.ModuleBase, "bin", "net8.0", "QlikQrs.dll"), (string)result.Output[0].BaseObject);
        Assert.StartsWith("QlikQrs", (string)result.Output[1].BaseObject);
    }

    [Fact]
    public void ImportingTwiceWithForceKeepsTheCmdlets()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            Import-Module -Name $args[0] -Force -ErrorAction Stop
            (Get-Command -Module QlikQrs).Count
            """, ModuleLocation.ManifestPath);

        result.AssertNoErrors();
        Assert.True((int)result.Single().BaseObject > 0);
    }

    [Fact]
    public void TheFormatViewsNameOnlyPropertiesTheTypesHave()
    {
        var views = System.Xml.Linq.XDocument.Load(Path.Combine(ModuleLocation.ModuleBase, "QlikQrs.Format.ps1xml")).Descendants("View").ToArray();
        Assert.NotEmpty(views);
        using var session = new PowerShellSession();
        foreach (var view in views)
        {
            // A view of objects a cmdlet tags (System.IO.FileInfo#QlikQrs.ExportedApp) names the .NET type before the '#'.
            string typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Split('#')[0];
            foreach (string property in view.Descendants("PropertyName").Select(p => p.Value))
            {
                PowerShellResult result = session.Run("([type]$args[0]).GetProperty($args[1]) -ne $null", typeName, property).AssertNoErrors();
                Assert.True((bool)result.Single().BaseObject, $"{typeName} has no property {property}, which the view {view.Element("Name")!.Value} shows.");
            }
        }
    }

    [Fact]
    public void EveryCmdletHasAHelpPageDescribingEachOfItsParameters()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            Get-Command -Module QlikQrs | ForEach-Object {
                $name = $_.Name
                $_.Parameters.Keys | Where-Object { $_ -notin $common } | ForEach-Object { "$name|$_" }
            }
            """).AssertNoErrors();
        foreach (string[] pair in result.Output.Select(o => ((string)o.BaseObject).Split('|')))
        {
            string page = Path.Combine(ModuleLocation.RepoRoot, "docs", "en-US", pair[0] + ".md");
            Assert.True(File.Exists(page), $"docs/en-US/{pair[0]}.md is missing.");
            Assert.Contains($"### -{pair[1]}\n", File.ReadAllText(page).Replace("\r\n", "\n"));
        }
    }
}
