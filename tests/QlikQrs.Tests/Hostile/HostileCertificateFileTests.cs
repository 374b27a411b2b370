using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Tests.Certificates;
using QlikQrs.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace QlikQrs.Tests.Hostile;

/// <summary>
/// The certificate files an adversarial user hands Import-QrsCertificate and Connect-QrsServer -CertificatePath, one
/// row each: what the file is, and whether it must load. A row that must not load must end in a Qrs error that names
/// the file, without .NET type names or stacks; one that must load must give the client certificate.
/// </summary>
public sealed class HostileCertificateFileTests : IClassFixture<CertificateFixture>, IDisposable
{
    private readonly CertificateFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("qlikqrs-hostile-certs-").FullName;

    public HostileCertificateFileTests(CertificateFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public void Dispose()
    {
        foreach (string locked in Directory.EnumerateFileSystemEntries(_folder).Where(p => p.Contains("locked", StringComparison.Ordinal)))
        {
            if (OperatingSystem.IsWindows())
            {
                break;
            }

            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One mutation: the parameters of Import-QrsCertificate, whether they must load, and the file an error must name.</summary>
    private sealed record Row(string Label, Dictionary<string, object> Parameters, bool Loads, string Names, bool AsOrdinaryUser = false);

    [Fact]
    public void EveryCertificateFileMutationLoadsOrEndsInAQrsErrorNamingTheFile()
    {
        var rows = Rows().ToList();
        using var session = new PowerShellSession();
        var failures = new List<string>();
        int clear = 0;
        foreach (Row row in rows)
        {
            (IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors) = row.AsOrdinaryUser
                ? UnreadableFiles.Run("param($p) Import-QrsCertificate @p", new System.Collections.Hashtable(row.Parameters))
                : Run(session, row.Parameters);
            string? wrong = Judge(row, output, errors);
            if (wrong is null)
            {
                clear++;
            }
            else
            {
                failures.Add($"{row.Label}: {wrong}");
            }
        }

        _output.WriteLine($"Import-QrsCertificate (certificate files)  tried {rows.Count,4}  clear {clear,4}");
        failures.ForEach(f => _output.WriteLine("FAILED " + f));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static (IReadOnlyList<PSObject>, IReadOnlyList<ErrorRecord>) Run(PowerShellSession session, Dictionary<string, object> parameters)
    {
        PowerShellResult result = session.Command("Import-QrsCertificate", new System.Collections.Hashtable(parameters));
        return (result.Output, result.Errors);
    }

    private string? Judge(Row row, IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors)
    {
        if (row.Loads)
        {
            return errors.Count == 0 && output.Count == 1 && (string)output[0].Properties["Thumbprint"].Value == _fixture.Client.Thumbprint
                ? null
                : "did not load: " + string.Join(" | ", errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message));
        }

        if (output.Count > 0)
        {
            return "loaded, but must not";
        }

        if (errors.Count != 1)
        {
            return $"{errors.Count} errors";
        }

        HostileVerdict verdict = HostileVerdict.Judge("CertificatePath", row.Names, errors.ToArray(), baselineErrorId: null);
        string message = errors[0].Exception.Message;
        return verdict.Outcome == HostileOutcome.Failed ? verdict.Detail
            : !message.Contains(Path.GetFileName(row.Names), StringComparison.Ordinal) ? $"{errors[0].FullyQualifiedErrorId} does not name {Path.GetFileName(row.Names)}: {message}"
            : null;
    }

    private IEnumerable<Row> Rows()
    {
        string pem(string name) => _fixture.PathOf("pem/" + name);
        Dictionary<string, object> files(string certificate, string? key = null, string? root = null)
        {
            var parameters = new Dictionary<string, object> { ["CertificatePath"] = certificate };
            if (key is not null)
            {
                parameters["KeyPath"] = key;
            }

            if (root is not null)
            {
                parameters["RootPath"] = root;
            }

            return parameters;
        }

        string write(string name, byte[] content)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        string empty = write("empty.pem", Array.Empty<byte>());
        yield return new("empty certificate file", files(empty, pem("client_key.pem"), pem("root.pem")), false, empty);
        string huge = write("huge.pem", new byte[16 * 1024 * 1024]);
        yield return new("16 MB of zeros", files(huge, pem("client_key.pem"), pem("root.pem")), false, huge);
        string random = write("random.pfx", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        yield return new("random bytes as a PFX", files(random), false, random);
        yield return new("a folder as the certificate file", files(_fixture.PathOf("pem"), pem("client_key.pem")), false, "pem");
        yield return new("a file as the export folder", new() { ["Path"] = pem("client.pem") }, false, pem("client.pem"));
        yield return new("the root as the client certificate", files(pem("root.pem"), pem("client_key.pem"), pem("root.pem")), false, pem("root.pem"));
        yield return new("the server certificate as the client certificate", files(pem("server.pem"), pem("server_key.pem"), pem("root.pem")), false, pem("server.pem"));
        yield return new("a key of another certificate", files(pem("client.pem"), pem("server_key.pem"), pem("root.pem")), false, pem("server_key.pem"));
        yield return new("file:// URL", files("file://" + pem("client.pem")), false, "client.pem");

        string[] passwords = { "café", "密码测试", "Ünïcødé 🔑 key" };
        foreach ((string password, int index) in passwords.Select((p, i) => (p, i)))
        {
            string pfx = write($"pbes2-{index}.pfx", _fixture.Client.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password));
            yield return new($"PBES2 PFX, password '{password}'", new() { ["CertificatePath"] = pfx, ["Password"] = CertificateFixture.Secure(password) }, true, pfx);
            yield return new($"PBES2 PFX, wrong password for '{password}'", new() { ["CertificatePath"] = pfx, ["Password"] = CertificateFixture.Secure(password + "x") }, false, pfx);
        }

        if (OperatingSystem.IsWindows())
        {
            yield break;
        }

        yield return new("/dev/zero", files("/dev/zero", pem("client_key.pem"), pem("root.pem")), false, "/dev/zero");
        string dangling = Path.Combine(_folder, "dangling.pem");
        File.CreateSymbolicLink(dangling, Path.Combine(_folder, "nowhere.pem"));
        yield return new("a dangling link", files(dangling, pem("client_key.pem"), pem("root.pem")), false, dangling);
        string loop = Path.Combine(_folder, "loop.pem");
        File.CreateSymbolicLink(loop, loop);
        yield return new("a link to itself", files(loop, pem("client_key.pem"), pem("root.pem")), false, loop);

        string lockedFile = write("locked.pem", File.ReadAllBytes(pem("client.pem")));
        File.SetUnixFileMode(lockedFile, UnixFileMode.None);
        yield return new("a certificate file of mode 000", files(lockedFile, pem("client_key.pem"), pem("root.pem")), false, lockedFile, AsOrdinaryUser: true);
        string lockedFolder = Path.Combine(_folder, "locked-export");
        foreach (string file in new[] { "client.pem", "client_key.pem", "root.pem" })
        {
            Directory.CreateDirectory(lockedFolder);
            File.Copy(pem(file), Path.Combine(lockedFolder, file));
        }

        File.SetUnixFileMode(lockedFolder, UnixFileMode.None);
        yield return new("an export folder of mode 000", new() { ["Path"] = lockedFolder }, false, lockedFolder, AsOrdinaryUser: true);
    }
}
