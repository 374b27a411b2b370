using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>
/// A failure before QRS answered is the same error on both runtimes. Windows PowerShell 5.1 (.NET Framework) wraps a
/// WebException with a Status in the HttpRequestException; .NET 8 wraps SocketException, AuthenticationException or
/// IOException and sets HttpRequestError. Each case below is one event in both shapes, as the two runtimes throw it.
/// </summary>
public sealed class ConnectionFailureTests : IDisposable
{
    private static readonly Uri About = new("https://qrs.example:4242/qrs/about");

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _clientCertificate;
    private readonly QrsCertificate _client;

    public ConnectionFailureTests()
    {
        _clientCertificate = new CertificateRequest("CN=QlikClient", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _client = new QrsCertificate(_clientCertificate);
    }

    public void Dispose()
    {
        _clientCertificate.Dispose();
        _key.Dispose();
    }

    public static TheoryData<string, string, string> Cases() => new()
    {
        // case, ErrorId with a client certificate, ErrorId without one
        { "name not found", "QrsConnectionFailed", "QrsConnectionFailed" },
        { "refused", "QrsConnectionRefused", "QrsConnectionRefused" },
        { "unreachable", "QrsConnectionFailed", "QrsConnectionFailed" },
        { "connect timed out", "QrsTimeout", "QrsTimeout" },
        { "handshake failed", "QrsClientCertificateRefused", "QrsTlsFailed" },
        { "closed during the handshake", "QrsClientCertificateRefused", "QrsConnectionFailed" },
        { "reset during the handshake", "QrsClientCertificateRefused", "QrsConnectionFailed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Both_runtimes_shapes_of_a_failure_give_the_same_error_id(string @case, string withCertificate, string withoutCertificate)
    {
        using QrsConnection certified = Connection(_client);
        using QrsConnection anonymous = Connection(null);

        foreach (Exception shape in new[] { NetFramework(@case), Net8(@case) })
        {
            Assert.Equal(withCertificate, ConnectionFailure.Describe(certified, HttpMethod.Get, About, shape).ErrorId);
            Assert.Equal(withoutCertificate, ConnectionFailure.Describe(anonymous, HttpMethod.Get, About, shape).ErrorId);
        }
    }

    [Fact]
    public void A_name_that_does_not_resolve_says_so_on_both_runtimes()
    {
        using QrsConnection connection = Connection(_client);
        foreach (Exception shape in new[] { NetFramework("name not found"), Net8("name not found") })
        {
            QrsRequestException error = ConnectionFailure.Describe(connection, HttpMethod.Get, About, shape);
            Assert.StartsWith("The name 'qrs.example' was not found", error.Message);
            Assert.Contains("Check -ComputerName", error.Message);
            Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.Category);
        }
    }

    [Fact]
    public void The_framework_s_own_trust_failure_is_an_untrusted_server_certificate()
    {
        using QrsConnection connection = Connection(_client);
        var shape = new HttpRequestException("An error occurred while sending the request.", new WebException(
            "The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.",
            new AuthenticationException("The remote certificate is invalid according to the validation procedure."), WebExceptionStatus.TrustFailure, null));

        QrsRequestException error = ConnectionFailure.Describe(connection, HttpMethod.Get, About, shape);

        Assert.Equal("QrsServerCertificateUntrusted", error.ErrorId);
        Assert.Contains("qrs.example:4242", error.Message);
    }

    [Fact]
    public void A_server_certificate_the_connection_refused_is_named_on_both_runtimes()
    {
        using RSA rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=qrs.example-CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using RSA strangerKey = RSA.Create(2048);
        using X509Certificate2 stranger = new CertificateRequest("CN=qrs.example", strangerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using QrsConnection connection = QrsConnection.Create("refusing", new QrsConnectionSettings
        {
            ComputerName = "qrs.example", Port = 4242, Certificate = _client, TrustedRoot = root,
        });
        Assert.False(connection.Trust.Validate(stranger, SslPolicyErrors.None));

        var netFramework = new HttpRequestException("An error occurred while sending the request.", new WebException(
            "The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.",
            new AuthenticationException("The remote certificate is invalid according to the validation procedure."), WebExceptionStatus.TrustFailure, null));
        var net8 = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
            new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));

        foreach (Exception shape in new Exception[] { netFramework, net8 })
        {
            QrsRequestException error = ConnectionFailure.Describe(connection, HttpMethod.Get, About, shape);
            Assert.Equal("QrsServerCertificateUntrusted", error.ErrorId);
            Assert.Contains("was not issued by the root 'CN=qrs.example-CA'", error.Message);
        }

        // A refusal from an earlier handshake does not explain a later failure of another kind.
        Assert.Equal("QrsConnectionRefused", ConnectionFailure.Describe(connection, HttpMethod.Get, About, Net8("refused")).ErrorId);
    }

    [Fact]
    public void A_connection_closed_while_a_long_url_was_sent_is_a_url_too_long_on_both_runtimes()
    {
        // Kestrel and HTTP.sys may cut the connection before reading all of a request line they will refuse (414).
        using QrsConnection connection = Connection(_client);
        var longUrl = new Uri("https://qrs.example:4242/qrs/tag?filter=name%20eq%20'" + new string('a', 10_000) + "'");
        var net8 = new HttpRequestException("An error occurred while sending the request.",
            new IOException("Unable to write data to the transport connection: Broken pipe.", Socket(SocketError.Shutdown)));

        foreach (Exception shape in new[] { NetFramework("reset during the handshake"), net8 })
        {
            QrsRequestException error = ConnectionFailure.Describe(connection, HttpMethod.Get, longUrl, shape);
            Assert.Equal("QrsUrlTooLong", error.ErrorId);
            Assert.Contains("/qrs/tag?filter=name eq 'aaaa", error.Message);
            Assert.Contains("closed the connection while it was being sent", error.Message);
            Assert.Contains("shorten it", error.Message);
            Assert.Equal("QrsClientCertificateRefused", ConnectionFailure.Describe(connection, HttpMethod.Get, About, shape).ErrorId);
        }
    }

    [Fact]
    public async Task A_connection_closed_while_a_long_url_was_sent_is_not_retried()
    {
        // The server will cut the same URL off again; a short one closed the same way is retried.
        var longUrl = new Uri("https://qrs.example:4242/qrs/tag?filter=name%20eq%20'" + new string('a', 10_000) + "'");
        foreach ((Uri uri, int attempts) in new[] { (longUrl, 1), (About, 3) })
        {
            var failing = new FailingHandler(() => Net8("reset during the handshake"));
            using var invoker = new HttpMessageInvoker(new RetryHandler(2, TimeSpan.FromMilliseconds(1)) { InnerHandler = failing });
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);

            await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

            Assert.Equal(attempts, failing.Attempts);
        }
    }

    public static TheoryData<string, bool> Retries() => new()
    {
        { "name not found", false },
        { "handshake failed", false },
        { "refused", true },
        { "unreachable", true },
        { "connect timed out", true },
        { "closed during the handshake", true },
        { "reset during the handshake", true },
    };

    [Theory]
    [MemberData(nameof(Retries))]
    public async Task Only_failures_another_attempt_can_mend_are_retried(string @case, bool retried)
    {
        foreach (Func<string, Exception> shape in new Func<string, Exception>[] { NetFramework, Net8 })
        {
            var failing = new FailingHandler(() => shape(@case));
            using var invoker = new HttpMessageInvoker(new RetryHandler(2, TimeSpan.FromMilliseconds(1)) { InnerHandler = failing });
            using var request = new HttpRequestMessage(HttpMethod.Get, About);

            await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

            Assert.Equal(retried ? 3 : 1, failing.Attempts);
        }
    }

    [Fact]
    public async Task An_untrusted_server_certificate_is_not_retried()
    {
        var failing = new FailingHandler(() => new HttpRequestException("An error occurred while sending the request.",
            new WebException("Could not establish trust relationship for the SSL/TLS secure channel.", WebExceptionStatus.TrustFailure)));
        using var invoker = new HttpMessageInvoker(new RetryHandler(2, TimeSpan.FromMilliseconds(1)) { InnerHandler = failing });
        using var request = new HttpRequestMessage(HttpMethod.Get, About);

        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(1, failing.Attempts);
    }

    /// <summary>The event as .NET Framework's HttpClientHandler reports it: a WebException with a Status.</summary>
    private static HttpRequestException NetFramework(string @case) => new("An error occurred while sending the request.", @case switch
    {
        "name not found" => new WebException("The remote name could not be resolved: 'qrs.example'", WebExceptionStatus.NameResolutionFailure),
        "refused" => new WebException("Unable to connect to the remote server", Socket(SocketError.ConnectionRefused), WebExceptionStatus.ConnectFailure, null),
        "unreachable" => new WebException("Unable to connect to the remote server", Socket(SocketError.HostUnreachable), WebExceptionStatus.ConnectFailure, null),
        "connect timed out" => new WebException("The operation has timed out", WebExceptionStatus.Timeout),
        "handshake failed" => new WebException("The request was aborted: Could not create SSL/TLS secure channel.", WebExceptionStatus.SecureChannelFailure),
        "closed during the handshake" => new WebException("The underlying connection was closed: An unexpected error occurred on a send.",
            new IOException("Authentication failed because the remote party has closed the transport stream."), WebExceptionStatus.SendFailure, null),
        "reset during the handshake" => new WebException("The underlying connection was closed: An unexpected error occurred on a receive.",
            new IOException("Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host.",
                Socket(SocketError.ConnectionReset)), WebExceptionStatus.ReceiveFailure, null),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
    });

    /// <summary>The event as .NET 8's SocketsHttpHandler reports it.</summary>
    private static HttpRequestException Net8(string @case) => @case switch
    {
        "name not found" => new(HttpRequestError.NameResolutionError, "Name or service not known (qrs.example:4242)", Socket(SocketError.HostNotFound)),
        "refused" => new(HttpRequestError.ConnectionError, "Connection refused (qrs.example:4242)", Socket(SocketError.ConnectionRefused)),
        "unreachable" => new(HttpRequestError.ConnectionError, "No route to host (qrs.example:4242)", Socket(SocketError.HostUnreachable)),
        "connect timed out" => new(HttpRequestError.ConnectionError, "Connection timed out (qrs.example:4242)", Socket(SocketError.TimedOut)),
        "handshake failed" => new(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.",
            new AuthenticationException("Authentication failed, see inner exception.")),
        "closed during the handshake" => new("An error occurred while sending the request.",
            new IOException("Received an unexpected EOF or 0 bytes from the transport stream.")),
        "reset during the handshake" => new("An error occurred while sending the request.",
            new IOException("Unable to read data from the transport connection: Connection reset by peer.", Socket(SocketError.ConnectionReset))),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
    };

    private static SocketException Socket(SocketError error) => new((int)error);

    private static QrsConnection Connection(QrsCertificate? certificate) =>
        QrsConnection.Create("failing", new QrsConnectionSettings { ComputerName = "qrs.example", Port = 4242, Certificate = certificate });

    private sealed class FailingHandler(Func<Exception> failure) : HttpMessageHandler
    {
        public int Attempts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts++;
            return Task.FromException<HttpResponseMessage>(failure());
        }
    }
}
