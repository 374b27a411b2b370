using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

/// <summary>
/// A connection from its start to its end as an administrator sees it: what its server check is, what a server that
/// drops it says, and that Disconnect-QrsServer ends it at once, for the sockets too.
/// </summary>
public sealed class ConnectionLifetimeTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public ConnectionLifetimeTests(SandboxSession sandbox) => _sandbox = sandbox;

    /// <summary>This process's established TCP connections to <paramref name="port"/>, by their local end, as the system lists them.</summary>
    private static string[] OpenSocketsTo(int port) => IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
        .Where(c => c.RemoteEndPoint.Port == port && c.State == TcpState.Established)
        .Select(c => c.LocalEndPoint.ToString())
        .ToArray();

    [Fact]
    public void DisconnectClosesTheConnectionsSocketsAtOnce()
    {
        using var session = new PowerShellSession();
        string[] before = OpenSocketsTo(_sandbox.Server.Port);
        session.Run("""
            $script:connection = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -PassThru
            $null = Invoke-QrsRequest /qrs/about -Connection $connection
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        string[] ours = OpenSocketsTo(_sandbox.Server.Port).Except(before).ToArray();

        session.Run("Disconnect-QrsServer -Connection $connection").AssertNoErrors();

        Assert.NotEmpty(ours);
        Assert.Empty(OpenSocketsTo(_sandbox.Server.Port).Intersect(ours));
    }

    [Fact]
    public void AConnectionUsedAfterDisconnectSaysItWasClosed()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $connection = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name closing -PassThru
            Disconnect-QrsServer -Connection $connection
            $connection.IsClosed
            try { Invoke-QrsRequest /qrs/about -Connection $connection -ErrorAction Stop } catch { $_ }
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();

        Assert.Equal(true, result.Output[0].BaseObject);
        var error = (ErrorRecord)result.Output[1].BaseObject;
        Assert.Equal("QrsConnectionClosed,QlikQrs.Commands.InvokeQrsRequestCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("The connection 'closing' was closed by Disconnect-QrsServer", error.Exception.Message);
        Assert.Contains("Connect again", error.Exception.Message);
    }

    [Fact]
    public void SkipCertificateCheckShowsOnTheConnectionAndInItsView()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run("""
            $checked = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name checked -PassThru
            $skipped = Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name skipped -SkipCertificateCheck -PassThru -WarningAction SilentlyContinue
            $checked.SkipCertificateCheck, $checked.ServerCertificateCheck, $skipped.SkipCertificateCheck, $skipped.ServerCertificateCheck, "$skipped"
            (Get-QrsConnection skipped).ServerCertificateCheck
            """, _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        string[] shown = result.Output.Select(o => o.ToString()).ToArray();

        Assert.Equal("False", shown[0]);
        Assert.Equal($"root {_sandbox.Server.Certificates.Root.Thumbprint[..8]}, host name", shown[1]);
        Assert.Equal("True", shown[2]);
        Assert.Equal("OFF (-SkipCertificateCheck)", shown[3]);
        Assert.EndsWith("[server certificate NOT checked]", shown[4]);
        Assert.Equal("OFF (-SkipCertificateCheck)", shown[5]);
        string view = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ModuleLocation.ManifestPath)!, "QlikQrs.Format.ps1xml"));
        Assert.Matches(@"<TypeName>QlikQrs\.QrsConnection</TypeName>(?:(?!</View>)[\s\S])*<PropertyName>ServerCertificateCheck</PropertyName>", view);
    }

    [Fact]
    public async Task AServerThatResetsTheConnectionOverTheClientCertificateIsNamedAsARefusal()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        Task refusing = RefuseEveryClientWithAReset(listener, stop.Token);
        using var session = new PowerShellSession();

        PowerShellResult result = session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -MaxRetries 0",
            port, _sandbox.CertificatesFolder);
        await stop.CancelAsync();
        listener.Stop();
        await refusing;

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsClientCertificateRefused,QlikQrs.Commands.ConnectQrsServerCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"localhost:{port} closed the connection before answering", error.Exception.Message);
        Assert.Contains($"probably refused the client certificate 'CN=QlikClient' ({_sandbox.Server.Certificates.Client.Thumbprint}", error.Exception.Message);
        Assert.Contains("Use the certificates exported from this site's QMC", error.Exception.Message);
    }

    [Fact]
    public void AConnectionDroppedAfterTheServerHasAnsweredIsNotBlamedOnTheCertificate()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "dropped-" + Guid.NewGuid();
        _sandbox.Server.Faults.DropConnectionNext(1, "/qrs/tag", "POST");

        PowerShellResult result = session.Run("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $args[0] }", name);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsConnectionFailed,QlikQrs.Commands.InvokeQrsRequestCommand", error.FullyQualifiedErrorId);
        Assert.Contains("closed the connection before answering POST /qrs/tag", error.Exception.Message);
        Assert.DoesNotContain("client certificate", error.Exception.Message);
    }

    /// <summary>
    /// A TLS server that completes the handshake, looks at the client certificate and, refusing it, resets the TCP
    /// connection instead of answering, as servers do that check the certificate after a TLS 1.3 handshake.
    /// </summary>
    private async Task RefuseEveryClientWithAReset(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (socket)
            {
                using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                try
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _sandbox.Server.Certificates.Server,
                        ClientCertificateRequired = true,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }, stop);
                }
                catch (Exception exception) when (exception is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // A client that gave up during the handshake needs no reset.
                }

                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
        }
    }
}
