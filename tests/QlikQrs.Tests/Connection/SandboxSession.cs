using System;
using System.IO;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

/// <summary>A sandbox QRS (with a header and a JWT virtual proxy) for the module's tests to connect to.</summary>
public sealed class SandboxSession : IAsyncLifetime
{
    public static readonly byte[] JwtKey = System.Text.Encoding.UTF8.GetBytes("module-tests-jwt-signing-key-32-bytes!!");

    public SandboxServer Server { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("qlikqrs-module-").FullName;

    public string CertificatesFolder => Server.CertificatesFolder;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(Folder, "certs"), ProxyPort = 0 };
        options.VirtualProxies.Add(new VirtualProxy { Prefix = "hdr", HeaderName = "X-Test-User", UserDirectory = "EXTERNAL" });
        options.VirtualProxies.Add(new VirtualProxy { Prefix = "jwt", Authentication = ProxyAuthentication.Jwt, JwtSigningKey = JwtKey });
        Server = await SandboxServer.StartAsync(options);
        SandboxSeeder.Seed(Server.Store, new SeedSpec(Users: 30, Apps: 20, Streams: 3, Tasks: 5, Tags: 5));
    }

    /// <summary>A PowerShell session with the module imported and connected to the sandbox with its certificates.</summary>
    public PowerShellSession Connected(string userDirectory = "INTERNAL", string userId = "sa_api")
    {
        var session = new PowerShellSession();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -UserDirectory $args[2] -UserId $args[3]",
            Server.Port, CertificatesFolder, userDirectory, userId).AssertNoErrors();
        return session;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
