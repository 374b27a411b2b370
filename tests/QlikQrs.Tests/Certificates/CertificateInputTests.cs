using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Certificates;

/// <summary>
/// What an administrator (or a hostile caller) may hand Import-QrsCertificate besides a good export: files of
/// other tools with non-ASCII passwords, costly or endless files, files the account may not read, links to nowhere,
/// the wrong certificate of the set, a disposed one. Each ends in the certificate or in an error that says what is
/// wrong with which file.
/// </summary>
public sealed class CertificateInputTests : IClassFixture<CertificateFixture>, IDisposable
{
    private readonly CertificateFixture _fixture;
    private readonly PowerShellSession _session = new();
    private readonly string _folder;

    public CertificateInputTests(CertificateFixture fixture)
    {
        _fixture = fixture;
        _folder = Directory.CreateTempSubdirectory("qlikqrs-cert-input-").FullName;
    }

    public void Dispose()
    {
        _session.Dispose();
        if (!OperatingSystem.IsWindows() && Directory.Exists(PathOf("locked-export")))
        {
            File.SetUnixFileMode(PathOf("locked-export"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static ErrorRecord SingleError(PowerShellResult result, string errorId)
    {
        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(errorId + ",QlikQrs.Commands.ImportQrsCertificateCommand", error.FullyQualifiedErrorId);
        Assert.Equal("QlikQrs.QrsCertificateException", error.Exception.GetType().FullName);
        return error;
    }

    private PowerShellResult ImportFile(string certificatePath, string? keyPath = null, string? password = null)
    {
        var parameters = new Hashtable { ["CertificatePath"] = certificatePath };
        if (keyPath is not null)
        {
            parameters["KeyPath"] = keyPath;
        }

        if (password is not null)
        {
            parameters["Password"] = CertificateFixture.Secure(password);
        }

        return _session.Command("Import-QrsCertificate", parameters);
    }

    /// <summary>The client's PKCS#12 as .NET and OpenSSL 3 write it by default: PBES2 with AES-256 and PBKDF2, a SHA-256 MAC.</summary>
    private byte[] Pbes2Pfx(string password) => _fixture.Client.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);

    [Theory]
    [InlineData("café")]
    [InlineData("密码测试")]
    [InlineData("Ünïcødé 🔑 key")]
    public void APbes2PfxWithANonAsciiPasswordOpens(string password)
    {
        byte[] pfx = Pbes2Pfx(password);
        Assert.Equal(PkcsObjectIdentifiers.IdPbeS2, EncryptedContents(Pfx.GetInstance(pfx)).EncryptionAlgorithm.Algorithm);
        File.WriteAllBytes(PathOf("pbes2.pfx"), pfx);

        PSObject loaded = ImportFile(PathOf("pbes2.pfx"), password: password).AssertNoErrors().Single();
        PowerShellResult wrong = ImportFile(PathOf("pbes2.pfx"), password: password + "x");

        Assert.Equal(_fixture.Client.Thumbprint, loaded.Properties["Thumbprint"].Value);
        Assert.Equal(true, loaded.Properties["HasPrivateKey"].Value);
        SingleError(wrong, "QrsCertificatePasswordInvalid");
    }

    [Fact]
    public void APfxAskingForMoreKeyDerivationThanAllowedSaysSoWithTheCountAndTheLimit()
    {
        File.WriteAllBytes(PathOf("costly.pfx"), WithIterations(Pfx.GetInstance(Pbes2Pfx("secret")), 20_000_000));

        ErrorRecord error = SingleError(ImportFile(PathOf("costly.pfx"), password: "secret"), "QrsCertificateKdfIterationsTooHigh");

        Assert.Contains("20,000,000 key-derivation iterations", error.Exception.Message);
        Assert.Contains("at most 10,000,000", error.Exception.Message);
        Assert.Contains("-iter", error.Exception.Message);
        Assert.DoesNotContain("is damaged", error.Exception.Message);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
    }

    [Fact]
    public void ADeviceIsRefusedWithoutReadingIt()
    {
        ErrorRecord error = SingleError(ImportFile("/dev/zero"), "QrsCertificateNotAFile");

        Assert.Contains("'/dev/zero' is a device or a pipe", error.Exception.Message);
    }

    [Fact]
    public void AFileFarLargerThanACertificateIsRefused()
    {
        File.WriteAllText(PathOf("huge.pem"), _fixture.Client.ExportCertificatePem() + new string('\n', 2 * 1024 * 1024));

        ErrorRecord error = SingleError(ImportFile(PathOf("huge.pem")), "QrsCertificateFileTooLarge");

        Assert.Contains(PathOf("huge.pem"), error.Exception.Message);
        Assert.Contains("a few kilobytes", error.Exception.Message);
    }

    [Fact]
    public void AFolderAsTheFileAndAFileAsTheFolderAreNamedForWhatTheyAre()
    {
        ErrorRecord folder = SingleError(ImportFile(_fixture.PathOf("pem")), "QrsCertificateNotAFile");
        ErrorRecord file = SingleError(_session.Command("Import-QrsCertificate", new Hashtable { ["Path"] = _fixture.PathOf("pem/client.pem") }), "QrsCertificateNotAFile");

        Assert.Contains("is a folder, not a file", folder.Exception.Message);
        Assert.Contains("is a file, not a folder", file.Exception.Message);
        Assert.Contains("-CertificatePath", file.Exception.Message);
    }

    [Fact]
    public void ADanglingLinkAndALinkLoopNameTheLink()
    {
        File.CreateSymbolicLink(PathOf("dangling.pem"), PathOf("gone.pem"));
        File.CreateSymbolicLink(PathOf("loop-a.pem"), PathOf("loop-b.pem"));
        File.CreateSymbolicLink(PathOf("loop-b.pem"), PathOf("loop-a.pem"));
        Directory.CreateDirectory(PathOf("export-with-dangling"));
        File.CreateSymbolicLink(PathOf("export-with-dangling/client.pem"), PathOf("gone.pem"));

        ErrorRecord dangling = SingleError(ImportFile(PathOf("dangling.pem")), "QrsCertificateFileNotFound");
        ErrorRecord loop = SingleError(ImportFile(PathOf("loop-a.pem")), "QrsCertificateFileUnreadable");
        ErrorRecord inFolder = SingleError(_session.Command("Import-QrsCertificate", new Hashtable { ["Path"] = PathOf("export-with-dangling") }), "QrsCertificateFileNotFound");

        Assert.Contains($"'{PathOf("dangling.pem")}' is a symbolic link to '{PathOf("gone.pem")}', which does not exist", dangling.Exception.Message);
        Assert.Contains($"'{PathOf("loop-a.pem")}' is a symbolic link that cannot be followed", loop.Exception.Message);
        Assert.Contains("symbolic link to", inFolder.Exception.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void AFileOrFolderThisAccountMayNotReadSaysPermissionDenied()
    {
        File.Copy(_fixture.PathOf("pem/client.pem"), PathOf("locked.pem"));
        File.SetUnixFileMode(PathOf("locked.pem"), UnixFileMode.None);
        Directory.CreateDirectory(PathOf("locked-export"));
        foreach (string file in new[] { "client.pem", "client_key.pem", "root.pem" })
        {
            File.Copy(_fixture.PathOf("pem/" + file), PathOf("locked-export/" + file));
        }

        File.SetUnixFileMode(PathOf("locked-export"), UnixFileMode.None);
        Directory.CreateDirectory(PathOf("export-locked-key"));
        File.Copy(_fixture.PathOf("pem/client.pem"), PathOf("export-locked-key/client.pem"));
        File.Copy(_fixture.PathOf("pem/client_key.pem"), PathOf("export-locked-key/client_key.pem"));
        File.SetUnixFileMode(PathOf("export-locked-key/client_key.pem"), UnixFileMode.None);

        var (output, failures) = UnreadableFiles.Run("""
            foreach ($call in @{ CertificatePath = $args[0] }, @{ Path = $args[1] }, @{ Path = $args[2] }) {
                try { Import-QrsCertificate @call -ErrorAction Stop } catch { $_ }
            }
            """, PathOf("locked.pem"), PathOf("locked-export"), PathOf("export-locked-key"));

        Assert.Empty(failures);
        ErrorRecord[] errors = output.Select(o => Assert.IsType<ErrorRecord>(o.BaseObject)).ToArray();
        Assert.Equal(3, errors.Length);
        Assert.All(errors, e => Assert.Equal("QrsCertificateAccessDenied,QlikQrs.Commands.ImportQrsCertificateCommand", e.FullyQualifiedErrorId));
        Assert.All(errors, e => Assert.Equal(ErrorCategory.PermissionDenied, e.CategoryInfo.Category));
        Assert.Contains($"may not read the file '{PathOf("locked.pem")}' (permission denied)", errors[0].Exception.Message);
        Assert.Contains($"may not read the folder '{PathOf("locked-export")}' (permission denied)", errors[1].Exception.Message);
        Assert.DoesNotContain("holds no QMC certificate export", errors[1].Exception.Message);
        Assert.Contains($"may not read the file '{PathOf("export-locked-key/client_key.pem")}'", errors[2].Exception.Message);
    }

    [Fact]
    public void TheServiceCertificateAndTheRootAreRefusedAsTheClientCertificate()
    {
        PowerShellResult server = ImportFile(_fixture.PathOf("pem/server.pem"), _fixture.PathOf("pem/server_key.pem"));
        PowerShellResult root = _session.Run("$args[0] | Import-QrsCertificate", _fixture.Root);
        PowerShellResult converted = _session.Run("[QlikQrs.QrsCertificate]$args[0]", _fixture.Root);

        Assert.Contains("is a Qlik Sense node's service certificate (server.pem", SingleError(server, "QrsCertificateNotAClientCertificate").Exception.Message);
        ErrorRecord authority = SingleError(root, "QrsCertificateNotAClientCertificate");
        Assert.Contains($"'{_fixture.Root.Subject}' ({_fixture.Root.Thumbprint}) is a certificate authority", authority.Exception.Message);
        Assert.Contains("client.pem with client_key.pem", authority.Exception.Message);
        Assert.Contains("is a certificate authority", Assert.Single(converted.Errors).Exception.InnerException!.Message);
    }

    [Fact]
    public void ACertificateOnlyForServerAuthenticationIsRefusedNamingItsUsage()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=QlikClient", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using X509Certificate2 serverOnly = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        ErrorRecord error = SingleError(_session.Run("$args[0] | Import-QrsCertificate", serverOnly), "QrsCertificateNotAClientCertificate");

        Assert.Contains("Server Authentication (its extended key usage), not for client authentication", error.Exception.Message);
    }

    [Fact]
    public void ADisposedCertificateSaysSoWhereverItIsUsed()
    {
        using X509Certificate2 disposedX509 = X509CertificateLoader.LoadPkcs12(_fixture.Client.Export(X509ContentType.Pkcs12), null);
        disposedX509.Dispose();
        PowerShellResult result = _session.Run("""
            $certificate = Import-QrsCertificate -Path $args[0]
            $certificate.Dispose()
            $certificate.IsDisposed
            $certificate.Thumbprint
            try { Connect-QrsServer -Certificate $certificate -ComputerName localhost -Port 1 -ErrorAction Stop } catch { $_ }
            try { $args[1] | Import-QrsCertificate -ErrorAction Stop } catch { $_ }
            """, _fixture.PathOf("pem"), disposedX509);

        result.AssertNoErrors();
        Assert.Equal(true, result.Output[0].BaseObject);
        Assert.Equal(_fixture.Client.Thumbprint, result.Output[1].BaseObject);
        var connect = (ErrorRecord)result.Output[2].BaseObject;
        Assert.Equal("QrsCertificateDisposed,QlikQrs.Commands.ConnectQrsServerCommand", connect.FullyQualifiedErrorId);
        Assert.Contains($"'CN=QlikClient' ({_fixture.Client.Thumbprint}) was disposed", connect.Exception.Message);
        Assert.Contains("Import-QrsCertificate", connect.Exception.Message);
        var import = (ErrorRecord)result.Output[3].BaseObject;
        Assert.Equal("QrsCertificateDisposed,QlikQrs.Commands.ImportQrsCertificateCommand", import.FullyQualifiedErrorId);
    }

    /// <summary>The PKCS#12 without its MAC and with its encrypted certificates claiming <paramref name="iterations"/> PBKDF2 rounds.</summary>
    private static byte[] WithIterations(Pfx pfx, int iterations)
    {
        ContentInfo[] contents = Safe(pfx).GetContentInfo().Select(content =>
        {
            if (!content.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
            {
                return content;
            }

            EncryptedData encrypted = EncryptedData.GetInstance(content.Content);
            var pbes2 = PbeS2Parameters.GetInstance(encrypted.EncryptionAlgorithm.Parameters);
            var kdf = Pbkdf2Params.GetInstance(pbes2.KeyDerivationFunc.Parameters);
            var costly = new PbeS2Parameters(
                new KeyDerivationFunc(PkcsObjectIdentifiers.IdPbkdf2, new Pbkdf2Params(kdf.GetSalt(), iterations, kdf.Prf)),
                pbes2.EncryptionScheme);
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, costly);
            return new ContentInfo(PkcsObjectIdentifiers.EncryptedData, new EncryptedData(encrypted.ContentType, algorithm, encrypted.Content).ToAsn1Object());
        }).ToArray();
        return new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new AuthenticatedSafe(contents).GetEncoded())), null).GetEncoded();
    }

    private static AuthenticatedSafe Safe(Pfx pfx) => AuthenticatedSafe.GetInstance(Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets());

    private static EncryptedData EncryptedContents(Pfx pfx) =>
        EncryptedData.GetInstance(Safe(pfx).GetContentInfo().Single(c => c.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData)).Content);
}
