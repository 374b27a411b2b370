using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Sandbox.Store;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>One sandbox for a test class: a small seeded site, a proxy listener with a header and a JWT virtual proxy.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public static readonly byte[] JwtKey = Encoding.UTF8.GetBytes("sandbox-jwt-signing-key-of-32-bytes!!");

    public SandboxServer Server { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("qlikqrs-sandbox-").FullName;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { CertificatesFolder = Path.Combine(Folder, "certs"), ProxyPort = 0 };
        options.VirtualProxies.Add(new VirtualProxy { Prefix = "header", HeaderName = "X-Sandbox-User", UserDirectory = "EXTERNAL" });
        options.VirtualProxies.Add(new VirtualProxy { Prefix = "jwt", Authentication = ProxyAuthentication.Jwt, JwtSigningKey = JwtKey });
        Server = await SandboxServer.StartAsync(options);
        SandboxSeeder.Seed(Server.Store, new SeedSpec(Users: 50, Apps: 40, Streams: 4, Tasks: 10, Tags: 6));
    }

    public QrsTestClient Client(string userDirectory = "INTERNAL", string userId = "sa_api") => new(Server, userDirectory, userId);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
