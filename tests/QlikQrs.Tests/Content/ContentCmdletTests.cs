using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Content;

/// <summary>App objects, content files and extensions as an administrator handles them, against the seeded sandbox.</summary>
public sealed class ContentCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public ContentCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void AppObjectsAreFoundByAppTypeStateAndOwner()
    {
        using PowerShellSession session = _sandbox.Connected();
        IReadOnlyList<PSObject> published = session.Run("Get-QrsAppObject -Published").AssertNoErrors().Output;
        IReadOnlyList<PSObject> community = session.Run("Get-QrsAppObject -Published -Approved:$false").AssertNoErrors().Output;
        IReadOnlyList<PSObject> stories = session.Run("Get-QrsAppObject -ObjectType story").AssertNoErrors().Output;
        string[] first = session.Run("@(Get-QrsAppObject -ObjectType sheet)[0] | ForEach-Object { $_.App.Name; '{0}\\{1}' -f $_.Owner.UserDirectory, $_.Owner.UserId }")
            .AssertNoErrors().Output.Select(o => o.ToString()).ToArray();
        string appName = first[0];
        string owner = first[1];
        const string AppAndOwner = "ForEach-Object { '{0}|{1}\\{2}' -f $_.App.Name, $_.Owner.UserDirectory, $_.Owner.UserId }";

        Assert.NotEmpty(published);
        Assert.All(published, o => Assert.True((bool)o.Properties["Published"].Value));
        Assert.NotEmpty(community);
        Assert.All(community, o => Assert.False((bool)o.Properties["Approved"].Value));
        Assert.True(community.Count < published.Count);
        Assert.NotEmpty(stories);
        Assert.All(stories, o => Assert.Equal("story", o.Properties["ObjectType"].Value));
        IReadOnlyList<PSObject> ofApp = session.Run("Get-QrsAppObject -App $args[0] | " + AppAndOwner, appName).AssertNoErrors().Output;
        IReadOnlyList<PSObject> ofOwner = session.Run("Get-QrsAppObject -Owner $args[0] | " + AppAndOwner, owner).AssertNoErrors().Output;

        Assert.NotEmpty(ofApp);
        Assert.All(ofApp, o => Assert.StartsWith(appName + "|", o.ToString()));
        Assert.NotEmpty(ofOwner);
        Assert.All(ofOwner, o => Assert.EndsWith("|" + owner, o.ToString()));
        Assert.Equal("QlikQrs.Model.AppObject", published[0].BaseObject.GetType().FullName);
    }

    [Fact]
    public void ASheetIsPublishedApprovedDeniedAndUnpublished()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $sheet = @(Get-QrsAppObject -ObjectType sheet -Published:$false -Filter 'app.published eq true')[0]
            $sheet | Publish-QrsAppObject -Confirm:$false | ForEach-Object { '{0} {1}' -f $_.Published, $_.Approved }
            $sheet | Approve-QrsAppObject -Confirm:$false | ForEach-Object { '{0} {1}' -f $_.Published, $_.Approved }
            $sheet | Deny-QrsAppObject -Confirm:$false | ForEach-Object { '{0} {1}' -f $_.Published, $_.Approved }
            $sheet | Unpublish-QrsAppObject -Confirm:$false | ForEach-Object { '{0} {1}' -f $_.Published, $_.Approved }
            """).AssertNoErrors();

        Assert.Equal(new[] { "True False", "True True", "True False", "False False" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void PublishingAnObjectOfAnUnpublishedAppIsRefusedWithTheObjectAsTarget()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $sheet = @(Get-QrsAppObject -ObjectType sheet -Filter 'app.published eq false')[0]
            $sheet | Publish-QrsAppObject -Confirm:$false
            $sheet | Publish-QrsAppObject -WhatIf
            (Get-QrsAppObject -InputObject $sheet).Published
            """);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsBadRequest,", error.FullyQualifiedErrorId);
        Assert.Contains("app is not published", error.Exception.Message);
        Assert.Equal("QlikQrs.Model.AppObject", error.TargetObject.GetType().FullName);
        Assert.False((bool)result.Single().BaseObject);
    }

    [Fact]
    public void AFileGoesIntoAContentLibraryComesBackTheSameAndIsRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-content-");
        string name = $"chart-{Guid.NewGuid():N}.png";
        byte[] bytes = Encoding.UTF8.GetBytes("not really a png " + Guid.NewGuid());
        string file = Path.Combine(temp.Path, name);
        File.WriteAllBytes(file, bytes);
        Directory.CreateDirectory(Path.Combine(temp.Path, "out"));

        PSObject imported = session.Run("Import-QrsContentFile -Path $args[0] -ContentLibrary Logos", file).AssertNoErrors().Single();
        PowerShellResult again = session.Run("Import-QrsContentFile -Path $args[0] -ContentLibrary Logos", file);
        session.Run("Import-QrsContentFile -Path $args[0] -ContentLibrary Logos -Overwrite", file).AssertNoErrors();
        PSObject exported = session.Run("Export-QrsContentFile -ContentLibrary Logos -Name $args[0] -Path $args[1]", name, Path.Combine(temp.Path, "out")).AssertNoErrors().Single();
        session.Run("Remove-QrsContentFile -ContentLibrary Logos -Name $args[0] -Confirm:$false", name).AssertNoErrors();
        PowerShellResult gone = session.Run("Export-QrsContentFile -ContentLibrary Logos -Name $args[0] -Path $args[1]", name, Path.Combine(temp.Path, "out"));

        Assert.Equal($"/content/Logos/{name}", imported.Properties["LogicalPath"].Value);
        Assert.StartsWith("QrsContentFileExists,", Assert.Single(again.Errors).FullyQualifiedErrorId);
        Assert.Equal(bytes, File.ReadAllBytes(((FileInfo)exported.BaseObject).FullName));
        Assert.StartsWith("QrsContentFileNotFound,", Assert.Single(gone.Errors).FullyQualifiedErrorId);
        Assert.Equal(new[] { name }, Directory.GetFiles(Path.Combine(temp.Path, "out")).Select(Path.GetFileName));
    }

    [Fact]
    public void AnAppsOwnContentTakesAFileUnderAnotherName()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-appcontent-");
        string file = Path.Combine(temp.Path, "local.txt");
        File.WriteAllText(file, "app content " + Guid.NewGuid());

        PSObject imported = session.Run("Import-QrsContentFile $args[0] -App 'Sales dashboard 0001' -Name 'images/note.txt'", file).AssertNoErrors().Single();
        PSObject exported = session.Run("Export-QrsContentFile 'images/*' -App 'Sales dashboard 0001' -Path $args[0]", Path.Combine(temp.Path, "back.txt")).AssertNoErrors().Single();

        Assert.Matches("^/appcontent/[0-9a-f-]{36}/images/note.txt$", (string)imported.Properties["LogicalPath"].Value);
        Assert.Equal(File.ReadAllText(file), File.ReadAllText(((FileInfo)exported.BaseObject).FullName));
    }

    [Fact]
    public void SeededLibraryFilesExportByPatternWithTheSizesQrsLists()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-seeded-");

        IReadOnlyList<PSObject> files = session.Run("Export-QrsContentFile -ContentLibrary Logos -Name 'company-logo*.png' -Path $args[0]", temp.Path).AssertNoErrors().Output;
        PowerShellResult refused = session.Run("Export-QrsContentFile -ContentLibrary Logos -Name 'company-logo*.png' -Path $args[0]", temp.Path);

        Assert.Equal(new[] { "company-logo-dark.png", "company-logo.png" }, files.Select(f => ((FileInfo)f.BaseObject).Name).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.True(((FileInfo)f.BaseObject).Length > 0));
        Assert.Equal(2, refused.Errors.Count);
        Assert.All(refused.Errors, e => Assert.StartsWith("QrsExportPathInvalid,", e.FullyQualifiedErrorId));
    }

    [Fact]
    public void AnExtensionIsImportedRefusedAgainReplacedAndRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-extension-");
        string name = "ext" + Guid.NewGuid().ToString("N")[..8];
        string zip = WriteExtension(temp.Path, name, encrypted: false);

        PSObject imported = session.Run("Import-QrsExtension $args[0]", zip).AssertNoErrors().Single();
        PowerShellResult again = session.Run("Import-QrsExtension $args[0]", zip);
        session.Run("Import-QrsExtension $args[0] -Replace", zip).AssertNoErrors();
        session.Run("Remove-QrsExtension $args[0] -Confirm:$false", name).AssertNoErrors();

        Assert.Equal(name, imported.Properties["Name"].Value);
        Assert.StartsWith("QrsExtensionExists,", Assert.Single(again.Errors).FullyQualifiedErrorId);
        Assert.Empty(session.Run("Get-QrsEntity extension -Filter \"name eq '$($args[0])'\"", name).AssertNoErrors().Output);
    }

    [Fact]
    public void AProtectedExtensionTakesItsPasswordWhichNoErrorShows()
    {
        using PowerShellSession session = _sandbox.Connected();
        using var temp = new TempFolder("qlikqrs-locked-");
        string name = "locked" + Guid.NewGuid().ToString("N")[..8];
        string zip = WriteExtension(temp.Path, name, encrypted: true);
        string notZip = Path.Combine(temp.Path, "not-a-zip.zip");
        File.WriteAllText(notZip, "plain text");
        string password = "Zip-" + Guid.NewGuid().ToString("N");
        var secure = new NetworkCredential(string.Empty, password).SecurePassword;

        PowerShellResult without = session.Run("Import-QrsExtension $args[0]", zip);
        PowerShellResult with = session.Run("Import-QrsExtension $args[0] -Password $args[1]", zip, secure).AssertNoErrors();
        PowerShellResult failed = session.Run("Import-QrsExtension $args[0] -Password $args[1]", notZip, secure);

        Assert.StartsWith("QrsBadRequest,", Assert.Single(without.Errors).FullyQualifiedErrorId);
        Assert.Equal(name, with.Single().Properties["Name"].Value);
        ErrorRecord error = Assert.Single(failed.Errors);
        string trace = (string)PSObject.AsPSObject(error.Exception).Properties["Trace"].Value;
        Assert.Contains("pwd=***", trace);
        Assert.DoesNotContain(password, trace + error.Exception.Message + error.ErrorDetails?.Message + error.TargetObject);
    }

    private static string WriteExtension(string folder, string name, bool encrypted)
    {
        string path = Path.Combine(folder, name + ".zip");
        using (var zip = new MemoryStream())
        {
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (file, text) in new[] { ($"{name}.qext", $$"""{"name":"{{name}}","type":"visualization"}"""), ($"{name}.js", "define([], function () { return {}; });") })
                {
                    using var writer = new StreamWriter(archive.CreateEntry(file, CompressionLevel.NoCompression).Open(), new UTF8Encoding(false));
                    writer.Write(text);
                }
            }

            byte[] bytes = zip.ToArray();
            if (encrypted)
            {
                MarkEncrypted(bytes);
            }

            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    /// <summary>Sets the encrypted flag of every entry, local and central headers, as a password-protected zip has it.</summary>
    private static void MarkEncrypted(byte[] zip)
    {
        for (int i = 0; i + 4 <= zip.Length; i++)
        {
            uint signature = BitConverter.ToUInt32(zip, i);
            if (signature == 0x04034b50)
            {
                zip[i + 6] |= 1;
            }
            else if (signature == 0x02014b50)
            {
                zip[i + 8] |= 1;
            }
        }
    }
}
