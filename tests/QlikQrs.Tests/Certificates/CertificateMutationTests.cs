using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using QlikQrs.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace QlikQrs.Tests.Certificates;

/// <summary>
/// Thousands of damaged QMC files, made from a fixed seed so a failure can be reproduced: each one must end in the
/// original certificate (the damage did not touch what matters) or in a QrsCertificate error, never in another
/// exception or a hang.
/// </summary>
public sealed class CertificateMutationTests : IClassFixture<CertificateFixture>
{
    private const int Seed = 20261124;
    private const int MutantsPerSource = 400;

    private static readonly string[] s_labels = { "CERTIFICATE", "RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY" };

    private readonly CertificateFixture _fixture;
    private readonly ITestOutputHelper _output;

    public CertificateMutationTests(CertificateFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task EveryDamagedFileEndsInAQrsCertificateErrorOrTheOriginal()
    {
        var random = new Random(Seed);
        string folder = Path.Combine(_fixture.Folder, "mutants");
        Directory.CreateDirectory(folder);
        var cases = new List<Dictionary<string, string>>();

        // Which file is damaged, and how the rest of the import is called.
        var sources = new (string Name, string Original, bool Binary, Func<string, Dictionary<string, string>> Call)[]
        {
            ("client.pem", _fixture.PathOf("pem/client.pem"), false, m => Files(m, _fixture.PathOf("pem/client_key.pem"), _fixture.PathOf("pem/root.pem"))),
            ("client_key.pem", _fixture.PathOf("pem/client_key.pem"), false, m => Files(_fixture.PathOf("pem/client.pem"), m, _fixture.PathOf("pem/root.pem"))),
            ("root.pem", _fixture.PathOf("pem/root.pem"), false, m => Files(_fixture.PathOf("pem/client.pem"), _fixture.PathOf("pem/client_key.pem"), m)),
            ("encrypted.pem", _fixture.PathOf("keys/rsa-EncryptedPkcs8Aes256.pem"), false, m => Files(_fixture.PathOf("pem/client.pem"), m, _fixture.PathOf("pem/root.pem"), password: true)),
            ("legacy.pem", _fixture.PathOf("keys/rsa-LegacyDesEde3Cbc.pem"), false, m => Files(_fixture.PathOf("pem/client.pem"), m, _fixture.PathOf("pem/root.pem"), password: true)),
            ("client.pfx", _fixture.PathOf("windows/client.pfx"), true, m => new() { ["CertificatePath"] = m }),
            ("password.pfx", _fixture.PathOf("windows-password/client.pfx"), true, m => new() { ["CertificatePath"] = m, ["Password"] = "yes" }),
        };

        foreach (var source in sources)
        {
            byte[] original = File.ReadAllBytes(source.Original);
            for (int i = 0; i < MutantsPerSource; i++)
            {
                byte[] mutant = source.Binary ? MutateBinary(original, random) : MutateText(original, random);
                string path = Path.Combine(folder, $"{i:D4}-{source.Name}");
                File.WriteAllBytes(path, mutant);
                cases.Add(source.Call(path));
            }
        }

        using var session = new PowerShellSession();
        var run = Task.Run(() => session.Run("""
            param($cases, $password)
            foreach ($case in $cases) {
                $parameters = @{}
                foreach ($key in $case.Keys) { $parameters[$key] = $case[$key] }
                if ($parameters.ContainsKey('Password')) { $parameters['Password'] = $password }
                try {
                    $certificate = Import-QrsCertificate @parameters -ErrorAction Stop -WarningAction SilentlyContinue
                    "OK|$($certificate.Thumbprint)"
                }
                catch {
                    "ERROR|$($_.FullyQualifiedErrorId)|$($_.Exception.GetType().FullName)|$($_.Exception.Message)"
                }
            }
            """, cases, CertificateFixture.Secure(CertificateFixture.ExportPassword)));
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(5)));
        Assert.True(finished == run, "The damaged files did not all finish importing within five minutes: something hangs.");

        PowerShellResult result = (await run).AssertNoErrors();
        string[] outcomes = result.Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.Equal(cases.Count, outcomes.Length);
        Assert.True(cases.Count >= 2000);

        string[] foreign = outcomes
            .Where(o => !(o == "OK|" + _fixture.Client.Thumbprint || (o.StartsWith("ERROR|QrsCertificate", StringComparison.Ordinal) && o.Contains("|QlikQrs.QrsCertificateException|"))))
            .ToArray();
        foreach (var group in outcomes.GroupBy(o => o.Split('|')[0] + "|" + (o.Split('|').ElementAtOrDefault(1) ?? "")).OrderByDescending(g => g.Count()))
        {
            _output.WriteLine($"{group.Count(),5}  {group.Key}");
        }

        Assert.True(foreign.Length == 0, "Outcomes that are neither the original nor a QrsCertificate error:\n" + string.Join("\n", foreign.Distinct().Take(20)));
        // The damage must mostly matter, or the test proves nothing.
        Assert.True(outcomes.Count(o => o.StartsWith("ERROR|", StringComparison.Ordinal)) > cases.Count * 3 / 4);
    }

    private static Dictionary<string, string> Files(string certificate, string key, string root, bool password = false)
    {
        var call = new Dictionary<string, string> { ["CertificatePath"] = certificate, ["KeyPath"] = key, ["RootPath"] = root };
        if (password)
        {
            call["Password"] = "yes";
        }

        return call;
    }

    private static byte[] MutateBinary(byte[] original, Random random)
    {
        byte[] mutant = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
                }

                return mutant;
            case 1:
                return mutant.Take(random.Next(mutant.Length)).ToArray();
            default:
                mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
                mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
                return mutant;
        }
    }

    private static byte[] MutateText(byte[] original, Random random)
    {
        List<string> lines = Encoding.ASCII.GetString(original).Split('\n').ToList();
        switch (random.Next(5))
        {
            case 0:
                return MutateBinary(original, random);
            case 1:
                lines.RemoveAt(random.Next(lines.Count));
                break;
            case 2:
                int line = random.Next(lines.Count);
                lines[line] = lines[line].Substring(0, random.Next(lines[line].Length + 1));
                break;
            case 3:
                string label = s_labels[random.Next(s_labels.Length)];
                int armour = lines.FindIndex(l => l.StartsWith("-----", StringComparison.Ordinal));
                int target = random.Next(2) == 0 ? armour : lines.FindLastIndex(l => l.StartsWith("-----", StringComparison.Ordinal));
                lines[target] = lines[target].StartsWith("-----BEGIN", StringComparison.Ordinal) ? $"-----BEGIN {label}-----" : $"-----END {label}-----";
                break;
            default:
                int at = random.Next(lines.Count);
                lines.Insert(at, random.Next(2) == 0 ? lines[random.Next(lines.Count)] : Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
                break;
        }

        return Encoding.ASCII.GetBytes(string.Join("\n", lines));
    }
}
