using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Isolation.Tests;

public sealed class DependencyIsolationTests
{
    /// <summary>
    /// Another module got there first: BouncyCastle.Cryptography 1.0.0.0, without any of the types QlikQrs uses, sits
    /// in the default load context. Import-QrsCertificate reads PKCS#12 through BouncyCastle, so it only works if the
    /// module resolves its own copy.
    /// </summary>
    [Fact]
    public void TheModuleWorksWhenAnotherVersionOfItsDependencyIsAlreadyLoaded()
    {
        Assembly other = AssemblyLoadContext.Default.LoadFromAssemblyPath(WriteConflictingAssembly("BouncyCastle.Cryptography", new Version(1, 0, 0, 0)));
        Assert.Equal(new Version(1, 0, 0, 0), other.GetName().Version);

        string pfx = WriteClientPfx("isolation");
        using var session = new PowerShellSession();
        PowerShellResult result = session.Command("Import-QrsCertificate", new Hashtable
        {
            ["CertificatePath"] = pfx,
            ["Password"] = new System.Net.NetworkCredential(string.Empty, "isolation").SecurePassword,
        });

        result.AssertNoErrors();
        Assert.Equal("CN=QlikClient", result.Single().Properties["Subject"].Value);

        PowerShellResult loaded = session.Run("""
            [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' } |
                ForEach-Object { '{0}|{1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
            """).AssertNoErrors();
        string[] copies = loaded.Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.Contains("1.0.0.0|Default", copies);
        Assert.Contains(copies, c => !c.StartsWith("1.0.0.0", StringComparison.Ordinal) && c.Contains("|QlikQrs"));
    }

    private static string WriteConflictingAssembly(string name, Version version)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName(name) { Version = version }, typeof(object).Assembly);
        ModuleBuilder module = builder.DefineDynamicModule(name);
        module.DefineType("Org.BouncyCastle.OtherModulesCopy", TypeAttributes.Public | TypeAttributes.Class).CreateType();
        string path = Path.Combine(Directory.CreateTempSubdirectory("qlikqrs-conflict-").FullName, name + ".dll");
        builder.Save(path);
        return path;
    }

    private static string WriteClientPfx(string password)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=QlikClient", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        string path = Path.Combine(Directory.CreateTempSubdirectory("qlikqrs-pfx-").FullName, "client.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
