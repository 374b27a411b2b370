using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Http;

/// <summary>Per-request choices the handlers read from the request's properties.</summary>
internal static class QrsRequestOptions
{
    public const string AsUser = "QlikQrs.AsUser";
    public const string AllowRetry = "QlikQrs.AllowRetry";

    public static void Set(HttpRequestMessage request, string key, object value)
    {
#if NETFRAMEWORK
        request.Properties[key] = value;
#else
        request.Options.Set(new HttpRequestOptionsKey<object>(key), value);
#endif
    }

    public static T? Get<T>(HttpRequestMessage request, string key)
        where T : class
    {
#if NETFRAMEWORK
        return request.Properties.TryGetValue(key, out object? value) ? value as T : null;
#else
        return request.Options.TryGetValue(new HttpRequestOptionsKey<object>(key), out object? value) ? value as T : null;
#endif
    }
}

/// <summary>
/// QRS's cross-site request forgery check: the same 16 characters of [0-9a-zA-Z] in the <c>xrfkey</c> query parameter
/// and the <c>X-Qlik-Xrfkey</c> header, new for every attempt and drawn from a cryptographic random source.
/// </summary>
internal sealed class XrfkeyHandler : DelegatingHandler
{
    public const string Header = "X-Qlik-Xrfkey";
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static string NewKey()
    {
        var key = new char[16];
        byte[] random = new byte[16];
        using (var generator = RandomNumberGenerator.Create())
        {
            // 62 does not divide 256; drawing again above 247 keeps every character equally likely.
            for (int i = 0; i < key.Length;)
            {
                generator.GetBytes(random);
                foreach (byte b in random)
                {
                    if (b < 248 && i < key.Length)
                    {
                        key[i++] = Alphabet[b % 62];
                    }
                }
            }
        }

        return new string(key);
    }

    /// <summary>A query string (with or without its '?') without any xrfkey parameter.</summary>
    public static string WithoutXrfkey(string query) => string.Join("&", query.TrimStart('?')
        .Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
        .Where(p => !p.StartsWith("xrfkey=", StringComparison.OrdinalIgnoreCase)));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string key = NewKey();
        Uri uri = request.RequestUri!;
        string query = WithoutXrfkey(uri.Query);
        request.RequestUri = new UriBuilder(uri) { Query = (query.Length == 0 ? string.Empty : query + "&") + "xrfkey=" + key }.Uri;
        request.Headers.Remove(Header);
        request.Headers.Add(Header, key);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Who is calling: X-Qlik-User (certificate connections), X-Qlik-Security, and the proxy credentials.</summary>
internal sealed class QlikIdentityHandler : DelegatingHandler
{
    private readonly QrsConnectionSettings _settings;

    public QlikIdentityHandler(QrsConnectionSettings settings) => _settings = settings;

    /// <summary><c>UserDirectory=&lt;dir&gt;; UserId=&lt;id&gt;</c>, each URL-encoded as UTF-8.</summary>
    public static string UserHeader(string directory, string id) => $"UserDirectory={Uri.EscapeDataString(directory)}; UserId={Uri.EscapeDataString(id)}";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("X-Qlik-User");
        if (_settings.Authentication == QrsAuthentication.Certificate)
        {
            string[] user = QrsRequestOptions.Get<string[]>(request, QrsRequestOptions.AsUser) ?? new[] { _settings.UserDirectory, _settings.UserId };
            request.Headers.TryAddWithoutValidation("X-Qlik-User", UserHeader(user[0], user[1]));
        }

        if (_settings.SecurityContext is QrsSecurityContext context)
        {
            request.Headers.Remove("X-Qlik-Security");
            request.Headers.TryAddWithoutValidation("X-Qlik-Security", "Context=" + context);
        }

        if (_settings.Authentication == QrsAuthentication.Header && _settings.HeaderName is not null)
        {
            request.Headers.Remove(_settings.HeaderName);
            request.Headers.TryAddWithoutValidation(_settings.HeaderName, _settings.HeaderValue);
        }

        if (_settings.Authentication == QrsAuthentication.Jwt)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Jwt);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Notes on the connection's trust that the server answered: a server that has answered accepted the client
/// certificate, so a connection it closes later was not closed over the certificate.
/// </summary>
internal sealed class AnswerWitness : DelegatingHandler
{
    private readonly ServerTrust _trust;

    public AnswerWitness(ServerTrust trust) => _trust = trust;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _trust.NoteAnswer();
        return response;
    }
}
