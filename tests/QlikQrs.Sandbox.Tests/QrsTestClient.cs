using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Hosting;

namespace QlikQrs.Sandbox.Tests;

/// <summary>
/// A plain HttpClient set up the way a QRS client must be: the QMC client certificate, trust in the sandbox root
/// only, a fresh xrfkey in query and header, and X-Qlik-User.
/// </summary>
public sealed class QrsTestClient : IDisposable
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public QrsTestClient(SandboxServer server, string? userDirectory, string? userId, X509Certificate2? clientCertificate = null, bool sendCertificate = true, Uri? baseAddress = null)
        : this(server.Certificates.Root, sendCertificate ? clientCertificate ?? server.Certificates.Client : null, baseAddress ?? server.BaseAddress, userDirectory, userId)
    {
    }

    /// <summary>A client of a sandbox in another process, with the certificates it minted into its folder.</summary>
    public QrsTestClient(QmcCertificateSet certificates, Uri baseAddress, string userDirectory = "INTERNAL", string userId = "sa_api")
        : this(certificates.Root, certificates.Client, baseAddress, userDirectory, userId)
    {
    }

    private QrsTestClient(X509Certificate2 root, X509Certificate2? clientCertificate, Uri baseAddress, string? userDirectory, string? userId)
    {
        var handler = new SocketsHttpHandler
        {
            // A request that asks Expect: 100-continue waits for the server's word, however busy the machine, instead
            // of sending its body after a second anyway.
            Expect100ContinueTimeout = System.Threading.Timeout.InfiniteTimeSpan,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(root);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build(new X509Certificate2(certificate!));
                },
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        Http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (userDirectory is not null && userId is not null)
        {
            Http.DefaultRequestHeaders.Add("X-Qlik-User", $"UserDirectory={Uri.EscapeDataString(userDirectory)}; UserId={Uri.EscapeDataString(userId)}");
        }
    }

    public HttpClient Http { get; }

    public static string NewXrfkey() => RandomNumberGenerator.GetString(Alphabet, 16);

    /// <summary>A request with a matching xrfkey in query and header; <paramref name="pathAndQuery"/> is relative.</summary>
    public HttpRequestMessage Request(HttpMethod method, string pathAndQuery, JsonNode? body = null, string? xrfkey = null)
    {
        string key = xrfkey ?? NewXrfkey();
        var request = new HttpRequestMessage(method, pathAndQuery + (pathAndQuery.Contains('?') ? "&" : "?") + "xrfkey=" + key);
        request.Headers.Add("X-Qlik-Xrfkey", key);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async Task<(int Status, string Text)> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body = null)
    {
        using HttpResponseMessage response = await Http.SendAsync(Request(method, pathAndQuery, body));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> GetJsonAsync(string pathAndQuery)
    {
        var (status, text) = await SendAsync(HttpMethod.Get, pathAndQuery);
        return status == 200 ? JsonNode.Parse(text)! : throw new HttpRequestException($"GET {pathAndQuery}: {status} {text}");
    }

    public async Task<JsonNode> SendJsonAsync(HttpMethod method, string pathAndQuery, JsonNode body, int expected)
    {
        var (status, text) = await SendAsync(method, pathAndQuery, body);
        return status == expected ? JsonNode.Parse(text)! : throw new HttpRequestException($"{method} {pathAndQuery}: {status} {text}");
    }

    public static string Filter(string filter) => "filter=" + Uri.EscapeDataString(filter);

    public void Dispose() => Http.Dispose();
}
