using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Certificates;

[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ImportQrsCertificateTests : IClassFixture<CertificateFixture>, IDisposable
{
    private readonly CertificateFixture _fixture;
    private readonly PowerShellSession _session = new();

    public ImportQrsCertificateTests(CertificateFixture fixture) => _fixture = fixture;

    public void Dispose() => _session.Dispose();

    private PowerShellResult Import(Hashtable parameters) => _session.Command("Import-QrsCertificate", parameters);

    private void AssertLoaded(PowerShellResult result, X509Certificate2 expected, bool withRoot = true)
    {
        result.AssertNoErrors();
        PSObject certificate = result.Single();
        Assert.Equal("QlikQrs.QrsCertificate", certificate.BaseObject.GetType().FullName);
        Assert.Equal(expected.Thumbprint, certificate.Properties["Thumbprint"].Value);
        Assert.Equal("CN=QlikClient", certificate.Properties["Subject"].Value);
        Assert.Equal(true, certificate.Properties["HasPrivateKey"].Value);
        Assert.Equal(true, certificate.Properties["IsQlikClient"].Value);
        Assert.Equal(withRoot ? _fixture.Root.Thumbprint : null, certificate.Properties["RootThumbprint"].Value);
    }

    [Fact]
    public void LoadsAQmcPemExportFolder()
    {
        PowerShellResult result = Import(new Hashtable { ["Path"] = _fixture.PathOf("pem") });

        AssertLoaded(result, _fixture.Client);
        Assert.Equal("RSA 2048", result.Single().Properties["KeyAlgorithm"].Value);
        Assert.Contains(_fixture.PathOf("pem"), (string)result.Single().Properties["Source"].Value);
    }

    [Fact]
    public void LoadsAFolderGivenRelativeToThePowerShellLocation()
    {
        PowerShellResult result = _session.Run(
            "$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Import-QrsCertificate -Path ./pem", _fixture.Folder);

        AssertLoaded(result, _fixture.Client);
    }

    [Fact]
    public void LoadsAWindowsFormatExportWithItsEmptyPassword()
    {
        AssertLoaded(Import(new Hashtable { ["Path"] = _fixture.PathOf("windows") }), _fixture.Client);
    }

    [Fact]
    public void LoadsAPasswordProtectedWindowsFormatExport()
    {
        AssertLoaded(Import(new Hashtable
        {
            ["Path"] = _fixture.PathOf("windows-password"),
            ["Password"] = CertificateFixture.Secure(CertificateFixture.ExportPassword),
        }), _fixture.Client);
    }

    [Fact]
    public void LoadsAPfxByFileNameAndTakesTheRootFromIt()
    {
        AssertLoaded(Import(new Hashtable { ["CertificatePath"] = _fixture.PathOf("windows/client.pfx") }), _fixture.Client);
    }

    [Fact]
    public void TheQmcPfxFixtureHasTheQmcShape()
    {
        byte[] pfx = File.ReadAllBytes(_fixture.PathOf("windows/client.pfx"));
        var parsed = Org.BouncyCastle.Asn1.Pkcs.Pfx.GetInstance(pfx);
        Assert.Equal(QmcExportWriter.QmcPkcs12Iterations, parsed.MacData.IterationCount.IntValue);
        Assert.Equal(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, parsed.MacData.Mac.DigestAlgorithm.Algorithm);
        var safe = Org.BouncyCastle.Asn1.Pkcs.AuthenticatedSafe.GetInstance(
            Org.BouncyCastle.Asn1.Asn1OctetString.GetInstance(parsed.AuthSafe.Content).GetOctets());
        var encrypted = Org.BouncyCastle.Asn1.Pkcs.EncryptedData.GetInstance(safe.GetContentInfo()[0].Content);
        Assert.Equal(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.PbewithShaAnd40BitRC2Cbc, encrypted.EncryptionAlgorithm.Algorithm);
    }

    [Fact]
    public void LoadsExplicitFiles()
    {
        AssertLoaded(Import(new Hashtable
        {
            ["CertificatePath"] = _fixture.PathOf("pem/client.pem"),
            ["KeyPath"] = _fixture.PathOf("pem/client_key.pem"),
            ["RootPath"] = _fixture.PathOf("pem/root.pem"),
        }), _fixture.Client);
    }

    [Fact]
    public void LoadsACertificateAndKeyThatShareOneFile()
    {
        AssertLoaded(Import(new Hashtable { ["CertificatePath"] = _fixture.PathOf("combined/client.pem") }), _fixture.Client, withRoot: false);
    }

    [Fact]
    public void LoadsADerRootCertificate()
    {
        AssertLoaded(Import(new Hashtable
        {
            ["CertificatePath"] = _fixture.PathOf("pem/client.pem"),
            ["KeyPath"] = _fixture.PathOf("pem/client_key.pem"),
            ["RootPath"] = _fixture.PathOf("windows/root.cer"),
        }), _fixture.Client);
    }

    [Fact]
    public void LoadsPemWithCrlfByteOrderMarkBlankLinesAndAPreamble()
    {
        AssertLoaded(Import(new Hashtable { ["Path"] = _fixture.PathOf("messy") }), _fixture.Client);
    }

    [Theory]
    [InlineData("rsa", KeyPemFormat.Traditional)]
    [InlineData("rsa", KeyPemFormat.Pkcs8)]
    [InlineData("rsa", KeyPemFormat.EncryptedPkcs8Aes256)]
    [InlineData("rsa", KeyPemFormat.EncryptedPkcs8TripleDes)]
    [InlineData("rsa", KeyPemFormat.LegacyDesEde3Cbc)]
    [InlineData("rsa", KeyPemFormat.LegacyAes128Cbc)]
    [InlineData("rsa", KeyPemFormat.LegacyAes256Cbc)]
    [InlineData("ec", KeyPemFormat.Traditional)]
    [InlineData("ec", KeyPemFormat.Pkcs8)]
    [InlineData("ec", KeyPemFormat.EncryptedPkcs8Aes256)]
    [InlineData("ec", KeyPemFormat.EncryptedPkcs8TripleDes)]
    [InlineData("ec", KeyPemFormat.LegacyDesEde3Cbc)]
    [InlineData("ec", KeyPemFormat.LegacyAes256Cbc)]
    public void LoadsEveryKeyFormat(string algorithm, KeyPemFormat format)
    {
        bool ec = algorithm == "ec";
        var parameters = new Hashtable
        {
            ["CertificatePath"] = ec ? _fixture.PathOf("keys/ec-client.pem") : _fixture.PathOf("pem/client.pem"),
            ["KeyPath"] = _fixture.PathOf($"keys/{algorithm}-{format}.pem"),
            ["RootPath"] = _fixture.PathOf("pem/root.pem"),
        };
        if (format is not (KeyPemFormat.Traditional or KeyPemFormat.Pkcs8))
        {
            parameters["Password"] = CertificateFixture.Secure(CertificateFixture.ExportPassword);
        }

        PowerShellResult result = Import(parameters);

        AssertLoaded(result, ec ? _fixture.EcClient : _fixture.Client);
        Assert.Equal(ec ? "ECDSA 256" : "RSA 2048", result.Single().Properties["KeyAlgorithm"].Value);
    }

    [Fact]
    public void LoadsThisNodesLocalCertificates()
    {
        string programData = Path.Combine(_fixture.Folder, "programdata");
        string local = Path.Combine(programData, "Qlik", "Sense", "Repository", "Exported Certificates", ".Local Certificates");
        QmcExportWriter.WritePemExport(local, _fixture.Root, _fixture.Client, _fixture.Server);
        string? saved = Environment.GetEnvironmentVariable("ProgramData");
        try
        {
            Environment.SetEnvironmentVariable("ProgramData", programData);
            AssertLoaded(Import(new Hashtable { ["Local"] = true }), _fixture.Client);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ProgramData", saved);
        }
    }

    [Fact]
    public void TakesAnX509Certificate2FromThePipeline()
    {
        PowerShellResult result = _session.Run(
            "$args[0] | Import-QrsCertificate -RootPath $args[1]", _fixture.Client, _fixture.PathOf("pem/root.pem"));

        AssertLoaded(result, _fixture.Client);
    }

    [Fact]
    public void AnX509Certificate2ConvertsToAQrsCertificateWhereverOneIsExpected()
    {
        PowerShellResult result = _session.Run("[QlikQrs.QrsCertificate]$certificate = $args[0]; $certificate", _fixture.Client);

        AssertLoaded(result, _fixture.Client, withRoot: false);
    }

    [Fact]
    public void TakesFoldersFromThePipelineByValueAndByProperty()
    {
        PowerShellResult result = _session.Run(
            "$args[0], [pscustomobject]@{ FullName = $args[1] } | Import-QrsCertificate", _fixture.PathOf("pem"), _fixture.PathOf("windows"));

        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
    }

    [Fact]
    public void ToStringAndTheDefaultViewShowNoKeyMaterial()
    {
        PowerShellResult result = _session.Run(
            "$c = Import-QrsCertificate -Path $args[0]; $c.ToString(); \"$c\"; $c.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" }",
            _fixture.PathOf("pem"));

        result.AssertNoErrors();
        string shown = string.Join("\n", result.Output.Select(o => o.ToString()));
        Assert.Contains(_fixture.Client.Thumbprint, shown);
        Assert.DoesNotContain("PRIVATE KEY", shown);
        PowerShellResult keyHolders = _session.Run("""
            (Import-QrsCertificate -Path $args[0]).PSObject.Properties |
                Where-Object { $_.Value -is [System.Security.Cryptography.AsymmetricAlgorithm] -or
                    ($_.Value -is [System.Security.Cryptography.X509Certificates.X509Certificate2] -and $_.Value.HasPrivateKey) } |
                ForEach-Object Name
            """, _fixture.PathOf("pem"));
        Assert.Empty(keyHolders.AssertNoErrors().Output);
        string keyBase64 = QmcExportWriter.KeyPem(_fixture.Client, KeyPemFormat.Traditional).Split('\n')[1];
        Assert.DoesNotContain(keyBase64, shown);
    }

    [Fact]
    public void VerboseOutputAndErrorsNeverShowTheKeyOrThePassword()
    {
        PowerShellResult loaded = _session.Run("Import-QrsCertificate -Path $args[0] -Password $args[1] -Verbose",
            _fixture.PathOf("windows-password"), CertificateFixture.Secure(CertificateFixture.ExportPassword)).AssertNoErrors();
        PowerShellResult refused = _session.Run("Import-QrsCertificate -Path $args[0] -Password $args[1] -Verbose",
            _fixture.PathOf("broken/encrypted-key"), CertificateFixture.Secure("wrong-" + CertificateFixture.ExportPassword));

        Assert.Contains(loaded.Verbose, v => v.Message.Contains(_fixture.Client.Thumbprint));
        string everything = string.Join("\n", loaded.Verbose.Concat(refused.Verbose).Select(v => v.Message).Concat(refused.Errors.Select(e => e.ToString() + e.ErrorDetails?.Message)));
        Assert.DoesNotContain(CertificateFixture.ExportPassword, everything);
        Assert.DoesNotContain(QmcExportWriter.KeyPem(_fixture.Client, KeyPemFormat.Traditional).Split('\n')[1], everything);
        Assert.Single(refused.Errors);
    }

    [Fact]
    public void WarnsWhenTheCertificateExpiresWithinThirtyDays()
    {
        PowerShellResult result = Import(new Hashtable { ["Path"] = _fixture.PathOf("expiring") });

        result.AssertNoErrors();
        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Message.Contains("expires in") && w.Message.Contains("QMC"));
    }

    [Theory]
    [InlineData("missing-folder", "QrsCertificateFolderNotFound", "does not exist")]
    [InlineData("no-export", "QrsCertificateExportNotFound", "client.pem")]
    [InlineData("broken/empty-file", "QrsCertificateFileEmpty", "is empty")]
    [InlineData("broken/not-pem", "QrsCertificateNotPem", "no PEM block")]
    [InlineData("broken/truncated", "QrsCertificateCorrupt", "damaged")]
    [InlineData("broken/corrupt-base64", "QrsCertificateCorrupt", "damaged")]
    [InlineData("broken/key-mismatch", "QrsCertificateKeyMismatch", "same QMC export")]
    [InlineData("broken/foreign-root", "QrsCertificateNotIssuedByRoot", "not issued by")]
    [InlineData("broken/root-not-ca", "QrsCertificateRootNotCA", "not a certificate authority")]
    [InlineData("broken/two-certificates", "QrsCertificateMultipleCertificates", "more than one certificate")]
    [InlineData("broken/dsa-key", "QrsCertificateKeyAlgorithmUnsupported", "RSA or ECDSA")]
    [InlineData("broken/encrypted-key", "QrsCertificatePasswordRequired", "-Password")]
    [InlineData("broken/legacy-encrypted-key", "QrsCertificatePasswordRequired", "-Password")]
    [InlineData("windows-password", "QrsCertificatePasswordRequired", "-Password")]
    [InlineData("expired", "QrsCertificateExpired", "expired on")]
    public void RefusesABadExportWithItsOwnError(string folder, string errorId, string advice)
    {
        PowerShellResult result = Import(new Hashtable { ["Path"] = _fixture.PathOf(folder) });

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal($"{errorId},QlikQrs.Commands.ImportQrsCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Contains(advice, error.Exception.Message);
        Assert.Equal("QlikQrs.QrsCertificateException", error.Exception.GetType().FullName);
    }

    [Theory]
    [InlineData("windows-password")]
    [InlineData("broken/encrypted-key")]
    [InlineData("broken/legacy-encrypted-key")]
    public void RefusesAWrongPassword(string folder)
    {
        PowerShellResult result = Import(new Hashtable
        {
            ["Path"] = _fixture.PathOf(folder),
            ["Password"] = CertificateFixture.Secure("not the password"),
        });

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsCertificatePasswordInvalid,QlikQrs.Commands.ImportQrsCertificateCommand", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("not the password", error.ToString());
    }

    [Fact]
    public void ACertificateWithoutItsKeyIsRefused()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_fixture.Client.RawData);
        PowerShellResult result = _session.Run("$args[0] | Import-QrsCertificate", publicOnly);

        Assert.Equal("QrsCertificateNoPrivateKey,QlikQrs.Commands.ImportQrsCertificateCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void TheCertificateStoreIsRefusedClearlyOffWindows()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        PowerShellResult result = Import(new Hashtable());

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsCertificateStoreNotSupported,QlikQrs.Commands.ImportQrsCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Contains("not supported on this platform", error.Exception.Message);
    }

    [Fact]
    public void ErrorsBindToTheTypedException()
    {
        PowerShellResult result = _session.Run("""
            try { Import-QrsCertificate -Path $args[0] -ErrorAction Stop }
            catch [QlikQrs.QrsCertificateException] { $_.Exception.ErrorId }
            """, _fixture.PathOf("broken/key-mismatch"));

        Assert.Equal("QrsCertificateKeyMismatch", result.Single().BaseObject);
    }
}
