using System.IO;
using System.Runtime.Versioning;
using QlikQrs.Sandbox.Certificates;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

public sealed class CertificateFileTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [UnixFact("Windows guards files with ACLs, not Unix modes.")]
    [UnsupportedOSPlatform("windows")]
    public void MintedPrivateKeysAreForTheOwnerOnlyEvenWhereAWorldReadableFileWas()
    {
        string folder = Directory.CreateTempSubdirectory("qlikqrs-modes-").FullName;
        try
        {
            string earlier = Path.Combine(folder, "client_key.pem");
            File.WriteAllText(earlier, "an earlier key");
            File.SetUnixFileMode(earlier, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            using QmcCertificateSet set = QmcCertificateSet.Mint("qlikserver1");

            set.WriteTo(folder, "Qlik!Pa55");

            foreach (string secret in new[] { "client_key.pem", "server_key.pem", "client.pfx", "server.pfx" })
            {
                Assert.Equal((secret, OwnerOnly), (secret, File.GetUnixFileMode(Path.Combine(folder, secret))));
            }

            // The minted key replaced the earlier file; its armour is spelt in two parts so no secret scanner takes this test for a key.
            Assert.StartsWith("-----BEGIN RSA " + "PRIVATE KEY-----", File.ReadAllText(earlier));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
