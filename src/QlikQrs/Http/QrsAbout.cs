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
        using var request = new HttpRequestMessage(HttpMethod.Get, "qrs/about");
        using HttpResponseMessage response = await QrsRequestSender.SendAsync(connection, request, cancellation).ConfigureAwait(false);
        string text = await QrsRequestSender.ReadTextAsync(response, cancellation).ConfigureAwait(false);
        try
        {
            using JsonDocument about = JsonDocument.Parse(text);
            return about.RootElement.TryGetProperty("buildVersion", out JsonElement version) ? version.GetString() : null;
        }
        catch (JsonException exception)
        {
            throw new QrsRequestException("QrsLoginPageReturned", System.Management.Automation.ErrorCategory.InvalidResult,
                $"{connection.BaseUri}qrs/about answered with something that is not QRS JSON: the port or the virtual proxy is not a QRS.",
                "GET", QrsRequestSender.Shown(connection, request.RequestUri!), 200, text.Length > 200 ? text.Substring(0, 200) : text, exception);
        }
    }
}
