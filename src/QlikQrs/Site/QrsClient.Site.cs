using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs;

/// <summary>The site calls of QRS: the repository's build, nodes and their registration, failover, certificates, SAML metadata.</summary>
public sealed partial class QrsClient
{
    public async Task<About> GetAboutAsync(CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs("about"), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<About>().ConfigureAwait(false), response);
    }

    /// <summary>The node the connection's repository runs on (GET /servernodeconfiguration/local).</summary>
    public async Task<ServerNodeConfiguration> GetLocalNodeAsync(CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs("servernodeconfiguration/local"), null, cancellation).ConfigureAwait(false);
        return Attached(await response.ReadJsonAsync<ServerNodeConfiguration>().ConfigureAwait(false), response);
    }

    /// <summary>
    /// Creates a node with the services it enables (POST /servernodeconfiguration/container). The container's schema
    /// names a condensed configuration, but QRS reads the whole one: the service flags and purpose go with it.
    /// </summary>
    public async Task<ServerNodeResultContainer> CreateNodeAsync(ServerNodeConfiguration configuration, CancellationToken cancellation = default)
    {
        byte[] node = JsonSerializer.SerializeToUtf8Bytes(configuration, QrsJson.Options);
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("configuration");
            writer.WriteRawValue(node);
            writer.WriteEndObject();
        }

        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("servernodeconfiguration/container"), Json(body.ToArray()), cancellation).ConfigureAwait(false);
        return await response.ReadJsonAsync<ServerNodeResultContainer>().ConfigureAwait(false)
            ?? throw response.Unexpected(typeof(ServerNodeResultContainer), new JsonException("the answer is empty"));
    }

    /// <summary>Starts a node's registration (GET /servernoderegistration/start/{id}); returns the password its installation asks for.</summary>
    public async Task<string> StartNodeRegistrationAsync(Guid node, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"servernoderegistration/start/{node}"), null, cancellation).ConfigureAwait(false);
        return await ReadTextValueAsync(response).ConfigureAwait(false);
    }

    /// <summary>Makes a node the central one (POST /failover/tonode/{id}).</summary>
    public async Task MoveCentralNodeAsync(Guid node, CancellationToken cancellation = default)
    {
        using QrsResponse _ = await SendAsync(HttpMethod.Post, QrsUrl.Qrs($"failover/tonode/{node}"), null, cancellation).ConfigureAwait(false);
    }

    /// <summary>The QMC's certificate export (POST /certificatedistribution/exportcertificates); returns the folder QRS wrote the machines' folders into.</summary>
    public async Task<string> ExportCertificatesAsync(CertificateExportParameters parameters, CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Post, QrsUrl.Qrs("certificatedistribution/exportcertificates"), Json(parameters), cancellation).ConfigureAwait(false);
        string answered = await ReadTextValueAsync(response).ConfigureAwait(false);
        return answered.Length > 0 ? answered : await GetExportedCertificatesFolderAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Where the certificate export writes on the central node (GET /certificatedistribution/exportcertificatespath).</summary>
    public async Task<string> GetExportedCertificatesFolderAsync(CancellationToken cancellation = default)
    {
        using QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs("certificatedistribution/exportcertificatespath"), null, cancellation).ConfigureAwait(false);
        return await ReadTextValueAsync(response).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves a SAML virtual proxy's service provider metadata: QRS makes it (GET
    /// /virtualproxyconfig/{id}/generate/samlmetadata answers a download ticket), then it is downloaded once.
    /// </summary>
    public async Task<FileInfo> ExportSamlMetadataAsync(Guid virtualProxy, string path, bool overwrite = false, CancellationToken cancellation = default)
    {
        string ticket;
        using (QrsResponse response = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"virtualproxyconfig/{virtualProxy}/generate/samlmetadata"), null, cancellation).ConfigureAwait(false))
        {
            ticket = await ReadTextValueAsync(response).ConfigureAwait(false);
            if (!Guid.TryParse(ticket, out _))
            {
                throw response.Unexpected(typeof(Guid), new FormatException("the answer is not a download ticket"));
            }
        }

        using QrsResponse download = await SendAsync(HttpMethod.Get, QrsUrl.Qrs($"download/samlmetadata/{ticket}/{QrsUrl.Segment(Path.GetFileName(path))}"), null, cancellation, expectJson: false).ConfigureAwait(false);
        return await QrsTransfer.SaveAsync(download, path, overwrite, progress: null).ConfigureAwait(false);
    }

    /// <summary>A text answer: QRS sends some as a bare JSON string and wraps others as <c>{"value": ...}</c>.</summary>
    private static async Task<string> ReadTextValueAsync(QrsResponse response)
    {
        string text = await response.ReadTextAsync().ConfigureAwait(false);
        if (text.Length == 0)
        {
            return string.Empty;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            JsonElement value = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out JsonElement wrapped) ? wrapped : root;
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new JsonException("it is not text");
        }
        catch (JsonException exception)
        {
            throw response.Unexpected(typeof(string), exception);
        }
    }
}
