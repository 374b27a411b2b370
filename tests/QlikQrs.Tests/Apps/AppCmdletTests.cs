using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Apps;

/// <summary>The app lifecycle as an administrator runs it, against the sandbox.</summary>
public sealed class AppCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public AppCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void NamesWithWildcardsFindTypedAppsInTheirStream()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Get-QrsApp -Name 'Sales*'").AssertNoErrors();

        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, o =>
        {
            Assert.Equal("QlikQrs.Model.App", o.BaseObject.GetType().FullName);
            Assert.StartsWith("Sales", (string)o.Properties["Name"].Value, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Empty(session.Run("Get-QrsApp -Name 'No such app*'").AssertNoErrors().Output);
        Assert.Equal(result.Output.Count, session.Run("Get-QrsApp -Name 'sAL?S*'").AssertNoErrors().Output.Count);
    }

    [Fact]
    public void ALiteralNameThatMatchesNothingIsQrsAppNotFoundWithTheNameAsTarget()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Get-QrsApp -Name 'No such app'; Remove-QrsApp 'No such app' -Confirm:$false");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("QrsAppNotFound,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Contains("No such app", e.TargetObject.ToString());
        });
    }

    [Fact]
    public void ANameThatMatchesSeveralStreamsWhereOneIsNeededIsAmbiguousWithTheCandidatesNamed()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $app = @(Get-QrsApp | Where-Object { -not $_.Published })[0]
            Publish-QrsApp $app -Stream '*' -Confirm:$false
            """);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsStreamAmbiguous,", error.FullyQualifiedErrorId);
        Assert.Contains("Finance", error.Exception.Message);
    }

    [Fact]
    public void AStreamPipedWhereAnAppIsExpectedIsRefusedAndNothingIsRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();
        long before = (long)session.Run("Get-QrsEntity app -Count").Single().BaseObject;
        PowerShellResult result = session.Run("@(Get-QrsStream)[0] | Remove-QrsApp -Confirm:$false");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsWrongEntityType,", error.FullyQualifiedErrorId);
        Assert.Contains("not an app", error.Exception.Message);
        Assert.Equal(before, (long)session.Run("Get-QrsEntity app -Count").Single().BaseObject);
    }

    [Fact]
    public void ImportPublishAndExportGiveBackTheSameBytes()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-app-");
        string folder = temp.Path;
        string qvf = Path.Combine(folder, "Round trip.qvf");
        byte[] content = new byte[300_000];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(qvf, content);
        string name = "Round trip " + Guid.NewGuid();

        PowerShellResult result = session.Run("""
            $app = Import-QrsApp -Path $args[0] -Name $args[1] -Stream Finance -Confirm:$false
            $app.Published
            $app.Stream.Name
            $exported = $app | Export-QrsApp -Path $args[2]
            $exported.FullName
            """, qvf, name, Path.Combine(folder, "out")).AssertNoErrors();

        Assert.True((bool)result.Output[0].BaseObject);
        Assert.Equal("Finance", result.Output[1].BaseObject);
        Assert.Equal(content, File.ReadAllBytes((string)result.Output[2].BaseObject));
        Assert.Empty(Directory.GetFiles(folder, "*partial*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ImportTakesWildcardsInPathAndNamesAsWrittenInLiteralPath()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-wild-");
        string folder = temp.Path;
        string prefix = "Wild " + Guid.NewGuid().ToString("n")[..8];
        string[] names = { prefix + " a", prefix + " b", prefix + " [c]" };
        foreach (string name in names)
        {
            File.WriteAllBytes(Path.Combine(folder, name + ".qvf"), new byte[] { 1, 2, 3 });
        }

        PowerShellResult result = session.Run("""
            (Import-QrsApp -Path ($args[0] + '/* ?.qvf') -Confirm:$false).Name
            (Import-QrsApp -LiteralPath ($args[0] + '/' + $args[1] + ' [c].qvf') -Confirm:$false).Name
            """, folder, prefix).AssertNoErrors();

        Assert.Equal(names, result.Output.Select(o => o.ToString()));
        PowerShellResult ambiguous = session.Run("Import-QrsApp -Path ($args[0] + '/*.qvf') -Replace ($args[1] + ' a') -Confirm:$false", folder, prefix);
        ErrorRecord error = Assert.Single(ambiguous.Errors);
        Assert.StartsWith("QrsAppFileAmbiguous,", error.FullyQualifiedErrorId);
        Assert.Contains("matches 3", error.Exception.Message);
        Assert.Equal(3, session.Run("Get-QrsApp -Name ($args[0] + '*')", prefix).Output.Count);
    }

    [Fact]
    public void TwoAppsOfOneNameGetTwoFilesEvenWithForce()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-twins-");
        string folder = temp.Path;
        string name = "Twin " + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $a = Copy-QrsApp 'Sales dashboard 0001' -Name $args[0] -Confirm:$false
            $b = Copy-QrsApp 'Sales dashboard 0011' -Name $args[0] -Confirm:$false
            Export-QrsApp $args[0] -Path $args[1] -Force | ForEach-Object { $_.Name + '|' + $_.AppId }
            """, name, folder).AssertNoErrors();

        string[] files = result.Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(2, files.Length);
        Assert.Equal(2, Directory.GetFiles(folder).Length);
        Assert.Contains(files, f => f.StartsWith(name + ".qvf|", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Split('|') is [var file, var id] && file == $"{name} ({id}).qvf");
    }

    [Fact]
    public void ExportNamesTheFileAfterTheAppAndRefusesToOverwriteWithoutForce()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-export-");
        string folder = temp.Path;
        PowerShellResult first = session.Run("@(Get-QrsApp)[0] | Export-QrsApp -Path $args[0]", folder).AssertNoErrors();
        FileInfo file = Assert.IsType<FileInfo>(first.Single().BaseObject);
        Assert.Equal(folder, file.DirectoryName);
        Assert.EndsWith(".qvf", file.Name);

        PowerShellResult again = session.Run("@(Get-QrsApp)[0] | Export-QrsApp -Path $args[0]", folder);
        Assert.StartsWith("QrsExportPathInvalid,", Assert.Single(again.Errors).FullyQualifiedErrorId);
        session.Run("@(Get-QrsApp)[0] | Export-QrsApp -Path $args[0] -Force", folder).AssertNoErrors();
    }

    [Fact]
    public void CopySetPublishReplaceAndRemove()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "Lifecycle " + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $source = @(Get-QrsApp | Where-Object { -not $_.Published })[0]
            $copy = Copy-QrsApp $source -Name $args[0] -Confirm:$false
            $copy | Set-QrsApp -Description 'Changed' -PassThru -Confirm:$false | ForEach-Object Description
            $published = Publish-QrsApp $copy -Stream Finance -Confirm:$false
            $published.Stream.Name
            $next = Copy-QrsApp $source -Name ($args[0] + ' v2') -Confirm:$false
            $replaced = Publish-QrsApp $next -Replace $published -Confirm:$false
            $replaced.Id -eq $published.Id
            Start-QrsAppReload $published -Confirm:$false
            Remove-QrsApp $next -Confirm:$false
            Remove-QrsApp $published -Confirm:$false
            @(Get-QrsApp -Name ($args[0] + '*')).Count
            """, name).AssertNoErrors();

        Assert.Equal(new object[] { "Changed", "Finance", true, 0 }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void PublishingAnAppThatIsPublishedAlreadySaysWhereAndHowAndSendsNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $published = @(Get-QrsApp -Stream Finance)[0]
            $published.Id
            Publish-QrsApp $published -Stream Sales -Confirm:$false
            """);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsAppAlreadyPublished,", error.FullyQualifiedErrorId);
        Assert.Contains("already published, to the stream 'Finance'", error.Exception.Message);
        Assert.Contains("Publish-QrsApp -Replace", error.ErrorDetails.RecommendedAction);
        string id = result.Output.Single().ToString();
        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Method == "PUT" && r.Path.Contains(id, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void EveryRemoveAsksForConfirmationByDefault()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            Get-Command -Module QlikQrs -Verb Remove | ForEach-Object {
                $attribute = $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
                '{0}={1}' -f $_.Name, $attribute.ConfirmImpact
            }
            """).AssertNoErrors();

        Assert.True(result.Output.Count >= 3);
        Assert.All(result.Output, o => Assert.EndsWith("=High", o.ToString()));
    }

    [Fact]
    public void AnEntityFromOneConnectionIsNotWrittenThroughAnother()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "Cross-site " + Guid.NewGuid();
        _sandbox.Server.Requests.Clear();
        PowerShellResult result = session.Run("""
            $a = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name a -UserId site_a -PassThru
            $b = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name b -UserId site_b -PassThru
            $tag = New-QrsEntity tag @{ name = $args[2] } -Connection $a
            $tag | Set-QrsEntity -Property @{ name = $args[2] + ' (b)' } -Connection $b
            $tag | Set-QrsEntity -Property @{ name = $args[2] + ' (a)' }
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder, name);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsConnectionMismatch,", error.FullyQualifiedErrorId);
        var puts = _sandbox.Server.Requests.Snapshot().Where(r => r.Method == "PUT").ToArray();
        var put = Assert.Single(puts);
        Assert.Contains("site_a", put.User);
    }

    [Fact]
    public void ChangesRunSeveralAtOnceWithErrorsPerItem()
    {
        using PowerShellSession session = _sandbox.Connected();
        string prefix = "Bulk " + Guid.NewGuid();
        PowerShellResult result = session.Run("""
            $tags = 1..40 | ForEach-Object { @{ name = '{0} {1:D2}' -f $args[0], $_ } } | New-QrsEntity tag -ThrottleLimit 8 -Confirm:$false
            $tags.Count
            $ids = @($tags.Id) + [guid]::NewGuid()
            $ids | Remove-QrsEntity tag -ThrottleLimit 8 -Confirm:$false
            Get-QrsEntity tag -Name ($args[0] + '*') -Count
            """, prefix);

        Assert.Equal(40, Convert.ToInt32(result.Output[0].BaseObject));
        Assert.Equal(0L, result.Output[1].BaseObject);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsNotFound,", error.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("Get-QrsApp -Name Sales", "'Sales dashboard 0001'")]
    [InlineData("Remove-QrsApp Sales", "'Sales dashboard 0001'")]
    [InlineData("Publish-QrsApp x -Stream Fin", "'Finance'")]
    [InlineData("Get-QrsStream Sup", "'Supply'")]
    public void IdentityParametersCompleteNamesFromTheServer(string input, string expected)
    {
        using PowerShellSession session = _sandbox.Connected();
        using PowerShell shell = PowerShell.Create(session.Runspace);

        CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Contains(expected, completion.CompletionMatches.Select(m => m.CompletionText));
    }

    [Fact]
    public void AnExportedFileSaysWhichAppItHolds()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-export-");
        string folder = temp.Path;
        PSObject file = session.Run("@(Get-QrsApp 'Sales dashboard 0001')[0] | Export-QrsApp -Path $args[0]", folder).AssertNoErrors().Single();

        Assert.Equal("System.IO.FileInfo#QlikQrs.ExportedApp", file.TypeNames[0]);
        Assert.Equal("Sales dashboard 0001", file.Properties["AppName"].Value);
        Assert.IsType<Guid>(file.Properties["AppId"].Value);
    }

    [Fact]
    public void ASetWithNothingToChangeSaysSoAndSendsNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();

        PowerShellResult result = session.Run("Set-QrsApp 'Sales dashboard 0001' -Confirm:$false; Set-QrsStream Finance -Confirm:$false");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("QrsNothingToChange,", e.FullyQualifiedErrorId));
        Assert.DoesNotContain(_sandbox.Server.Requests.Snapshot(), r => r.Method == "PUT");
    }
}
