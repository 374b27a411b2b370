using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Http;

/// <summary>GET /qrs/about: the call that proves a connection works, and tells the QRS build.</summary>
internal static class QrsAbout
{
    public static async Task<string?> GetBuildVersionAsync(QrsConnection connection, CancellationToken cancellation)
    {
        using QrsResponse response = await connection.Client.SendAsync(HttpMethod.Get, QrsUrl.Qrs("about"), null, cancellation).ConfigureAwait(false);
        string text = await response.ReadTextAsync().ConfigureAwait(false);
        try
        {
            using JsonDocument about = JsonDocument.Parse(text);
            return about.RootElement.TryGetProperty("buildVersion", out JsonElement version) ? version.GetString() : null;
        }
        catch (JsonException exception)
        {
            throw new QrsRequestException("QrsLoginPageReturned",
                $"{connection.BaseUri}qrs/about answered with something that is not QRS JSON: the port or the virtual proxy is not a QRS.",
                "GET", response.Exchange.Uri, 200, text.Length > 200 ? text.Substring(0, 200) : text, exception);
        }
    }
}
