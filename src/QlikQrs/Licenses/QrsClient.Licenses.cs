using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>The license calls of QRS: the site's one license, set by a signed key or a serial and control number, and the access type overview.</summary>
public sealed partial class QrsClient
{
    /// <summary>The site's license (GET /license), with its key and control number left out: they are secrets.</summary>
    public async Task<License> GetLicenseAsync(CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs("license"), null, cancellation).ConfigureAwait(false);
        return WithoutSecrets(Attached(await response.ReadJsonAsync<License>().ConfigureAwait(false), response));
    }

    /// <summary>
    /// Sets the site's license: changes the one there is (PUT /license/{id}), or adds one (POST /license). A serial's
    /// control number goes in <c>?control=</c>; it and the key are kept out of every error this call raises.
    /// </summary>
    public async Task<License> SetLicenseAsync(License license, string? control, Guid? existing, CancellationToken cancellation = default)
    {
        (HttpMethod method, string path) = existing is Guid id
            ? (HttpMethod.Put, QrsUrl.Qrs($"license/{id}", ("control", control)))
            : (HttpMethod.Post, QrsUrl.Qrs("license", ("control", control)));
        try
        {
            using QrsResponse response = await SendAsync(method, path, Json(license), cancellation).ConfigureAwait(false);
            return WithoutSecrets(Attached(await response.ReadJsonAsync<License>().ConfigureAwait(false), response));
        }
        catch (QrsRequestException exception)
        {
            throw Redacted(exception, control, license.Key);
        }
    }

    /// <summary>How many of each access type the license has, allocates and uses (GET /license/accesstypeoverview).</summary>
    public async Task<AccessTypeOverview> GetAccessTypeOverviewAsync(CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs("license/accesstypeoverview"), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<AccessTypeOverview>().ConfigureAwait(false), response);
    }

    private static License WithoutSecrets(License license)
    {
        license.Key = null;
        license.Check = null;
        return license;
    }

    /// <summary>The same error without the control number in its URL and without the key or control number in any text.</summary>
    private static QrsRequestException Redacted(QrsRequestException exception, string? control, string? key)
    {
        string Clean(string text)
        {
            foreach (string? secret in new[] { control, key })
            {
                if (!string.IsNullOrEmpty(secret))
                {
                    text = text.Replace(secret, "*****");
                }
            }

            return text;
        }

        Uri? uri = exception.Uri is Uri called ? new UriBuilder(called) { Query = string.Empty }.Uri : null;
        string message = exception.Advice is string advice && exception.Message.EndsWith(" " + advice, StringComparison.Ordinal)
            ? exception.Message.Substring(0, exception.Message.Length - advice.Length - 1)
            : exception.Message;
        return new QrsRequestException(exception.ErrorId, Clean(message), exception.Method, uri, exception.StatusCode,
            exception.ResponseText is string text ? Clean(text) : null, null, exception.Advice);
    }
}
