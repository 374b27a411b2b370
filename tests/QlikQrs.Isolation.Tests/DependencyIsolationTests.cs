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

    /// <summary>
    /// Microsoft.Extensions.Http 6.0 (with its DependencyInjection and Logging) is already loaded, as another module
    /// would have it. Test-QrsConnection builds a connection (Microsoft.Extensions.Http 8, DependencyInjection, Polly)
    /// and sends a request: it must get to a diagnosis of its own, not a FileLoadException or MissingMethodException.
    /// </summary>
    [Fact]
    public void TheHttpPipelineWorksWhenAnOlderMicrosoftExtensionsHttpIsAlreadyLoaded()
    {
        Assembly older = typeof(Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions).Assembly;
        Assert.Equal(6, older.GetName().Version!.Major);
        string folder = Path.GetDirectoryName(WriteClientPfx(string.Empty))!;
        int closedPort = ClosedPort();

        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("Test-QrsConnection -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -MaxRetries 0", closedPort, folder).AssertNoErrors();
        PowerShellResult loaded = session.Run("""
            [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Http' } |
                ForEach-Object { '{0}|{1}' -f $_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
            """).AssertNoErrors();

        Assert.Equal("QrsConnectionRefused", result.Single().Properties["ErrorId"].Value);
        string[] copies = loaded.Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.Contains("6|Default", copies);
        Assert.Contains(copies, c => c.StartsWith("8|QlikQrs", StringComparison.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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
