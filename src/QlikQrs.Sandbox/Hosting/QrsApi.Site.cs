using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The site's calls: the node the repository runs on (<c>/local</c>), new nodes and their registration, the move of
/// the central role, load balancing, certificate distribution and export, and the SAML metadata of a virtual proxy.
/// </summary>
public sealed partial class QrsApi
{
    /// <summary>The site's certificates, which the QMC's certificate export writes out.</summary>
    public QmcCertificateSet? Certificates { get; init; }

    private static readonly string[] s_localServices = { "proxyservice", "engineservice", "schedulerservice", "repositoryservice", "printingservice" };

    private EntityFamily Nodes => Schema.Family("servernodeconfiguration")!;

    /// <summary>Where the certificate export writes, one folder a machine name: the sandbox's counterpart of ProgramData\Qlik\Sense\Repository\Exported Certificates.</summary>
    public string ExportedCertificatesFolder => Path.Combine(_content.Folder, "Exported Certificates");

    private async Task<bool> TrySiteAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        Guid id = s.Length > 2 && Guid.TryParse(s[^1], out Guid parsed) ? parsed : Guid.Empty;
        switch (s)
        {
            case ["servernodeconfiguration", "local"] when method == "GET":
                await WriteEntity(context, 200, CentralNode(), Nodes, QueryValues.Flag(context.Request.Query, "privileges"));
                return true;
            case [var service, "local"] when method == "GET" && s_localServices.Contains(service):
                EntityFamily family = Schema.Family(service)!;
                StoredEntity local = OfNode(family, CentralNode().Id).FirstOrDefault() ?? throw QrsException.NotFound();
                await WriteEntity(context, 200, local, family, QueryValues.Flag(context.Request.Query, "privileges"));
                return true;
            case ["servernodeconfiguration", "container"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, new JsonObject { ["schemaPath"] = "ServerNodeCreationContainer", ["configuration"] = JsonNode.Parse(JsonSerializer.Serialize(_store.Default(Nodes))) });
                return true;
            case ["servernodeconfiguration", "container"] when method == "POST":
                await CreateNode(context, user);
                return true;
            case ["servernoderegistration", "start", _] when method == "GET" && id != Guid.Empty:
                await QrsHttp.WriteJson(context, 200, JsonValue.Create(StartRegistration(RequireNode(id).Id, user)));
                return true;
            case ["failover", "tonode", _] when method == "POST" && id != Guid.Empty:
                MoveCentralRole(RequireNode(id).Id, user);
                context.Response.StatusCode = 204;
                return true;
            case ["loadbalancing", "validengines" or "validnodes"] or ["loadbalancing", "validnodes", "extended"] when method == "POST":
                await LoadBalancing(context, s[1] == "validengines", await QrsHttp.ReadObject(context.Request, context.RequestAborted));
                return true;
            case ["certificatedistribution", "distributecertificate", _] when method == "GET" && id != Guid.Empty:
                await QrsHttp.WriteJson(context, 200, JsonValue.Create(StartRegistration(RequireNode(id).Id, user)));
                return true;
            case ["certificatedistribution", "redistributecertificate", _] when method == "HEAD" && id != Guid.Empty:
                RequireNode(id);
                context.Response.StatusCode = 204;
                return true;
            case ["certificatedistribution", "exportcertificatespath"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, JsonValue.Create(ExportedCertificatesFolder));
                return true;
            case ["certificatedistribution", "exportcertificates"] when method == "POST":
                await QrsHttp.WriteJson(context, 201, JsonValue.Create(ExportCertificates(await QrsHttp.ReadObject(context.Request, context.RequestAborted))));
                return true;
            case ["virtualproxyconfig", _, "generate", "samlmetadata"] when method == "GET" && Guid.TryParse(s[1], out Guid proxy):
                await QrsHttp.WriteJson(context, 200, JsonValue.Create(OfferSamlMetadata(proxy, user).ToString()));
                return true;
            case ["download", "samlmetadata", _, _] when method == "GET":
                await Download(context, s[2], user);
                return true;
            case ["download", "app", _, _, _] when method == "GET":
                await Download(context, _exports.TryGetValue(s[3], out Guid exported) ? exported.ToString() : s[3], user);
                return true;
            default:
                return await TryRestAsync(context, s, user) || TryUnserved(context, s);
        }
    }

    private StoredEntity RequireNode(Guid id) => _store.Find(Nodes, id) ?? throw QrsException.NotFound();

    private StoredEntity CentralNode() =>
        _store.List(Nodes).FirstOrDefault(n => n.Value.TryGetProperty("isCentral", out JsonElement central) && central.ValueKind == JsonValueKind.True)
        ?? throw QrsException.NotFound("The site has no central node.");

    private IEnumerable<StoredEntity> OfNode(EntityFamily family, Guid node) =>
        _store.List(family).Where(e => e.Value.TryGetProperty("serverNodeConfiguration", out JsonElement reference) && reference.ValueKind == JsonValueKind.Object &&
            Guid.TryParse(reference.GetProperty("id").GetString(), out Guid owner) && owner == node);

    /// <summary>POST /servernodeconfiguration/container: the node and the services it enables, waiting for their certificates until it is registered.</summary>
    private async Task CreateNode(HttpContext context, QrsUser user)
    {
        JsonObject body = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
        JsonObject configuration = body["configuration"] as JsonObject ?? throw QrsException.BadRequest("The container needs a configuration.");
        if (string.IsNullOrWhiteSpace(configuration["hostName"]?.ToString()))
        {
            throw QrsException.BadRequest("The configuration needs a hostName.");
        }

        configuration = (JsonObject)configuration.DeepClone();
        configuration["name"] ??= configuration["hostName"]!.ToString();
        configuration["isCentral"] = false;
        configuration["serviceCluster"] ??= new JsonObject { ["id"] = _store.List(Schema.Family("servicecluster")!).First().Id.ToString() };
        StoredEntity node = _store.Create(Nodes, configuration, user);
        var result = new JsonObject { ["schemaPath"] = "ServerNodeResultContainer", ["configuration"] = JsonNode.Parse(JsonSerializer.Serialize(node.Value)) };
        foreach (var (service, serviceType) in SiteSeeder.Services)
        {
            string flag = service switch { "engineservice" => "engineEnabled", "proxyservice" => "proxyEnabled", "schedulerservice" => "schedulerEnabled", "printingservice" => "printingEnabled", _ => string.Empty };
            if (flag.Length > 0 && !(node.Value.TryGetProperty(flag, out JsonElement enabled) && enabled.ValueKind == JsonValueKind.True))
            {
                continue;
            }

            StoredEntity created = _store.Create(Schema.Family(service)!, new JsonObject
            {
                ["serverNodeConfiguration"] = new JsonObject { ["id"] = node.Id.ToString() },
                ["settings"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() },
            }, user);
            result[service.Replace("service", "ServiceID", StringComparison.Ordinal)] = created.Id.ToString();
            _store.Create(Schema.Family("servicestatus")!, new JsonObject
            {
                ["serverNodeConfiguration"] = new JsonObject { ["id"] = node.Id.ToString() },
                ["serviceType"] = serviceType,
                ["serviceState"] = SiteSeeder.CertificatesNotInstalled,
                ["timestamp"] = QrsDate.Now(),
            }, user);
        }

        await QrsHttp.WriteJson(context, 201, result);
    }

    /// <summary>
    /// The password a new node's installation asks for, made anew for each call and kept nowhere: QRS shows it once.
    /// The sandbox has no rim to send certificates to: the node's services report Running, and the node beats, once it starts.
    /// </summary>
    private string StartRegistration(Guid node, QrsUser user)
    {
        foreach (StoredEntity status in OfNode(Schema.Family("servicestatus")!, node).ToArray())
        {
            _store.Patch(Schema.Family("servicestatus")!, status.Id, s =>
            {
                if (s["serviceState"]?.GetValue<long>() == SiteSeeder.CertificatesNotInstalled)
                {
                    s["serviceState"] = SiteSeeder.Running;
                    s["timestamp"] = QrsDate.Now();
                }
            }, user);
        }

        EntityFamily heartbeats = Schema.Family("servernodeheartbeat")!;
        if (!OfNode(heartbeats, node).Any())
        {
            _store.Create(heartbeats, new JsonObject { ["serverNodeConfiguration"] = new JsonObject { ["id"] = node.ToString() }, ["timestamp"] = QrsDate.Now() }, user);
        }

        return RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 12);
    }

    /// <summary>POST /failover/tonode/{id}: the node becomes the central one; QRS only moves the role to a failover candidate.</summary>
    private void MoveCentralRole(Guid node, QrsUser user)
    {
        StoredEntity target = RequireNode(node);
        if (!(target.Value.TryGetProperty("failoverCandidate", out JsonElement candidate) && candidate.ValueKind == JsonValueKind.True) &&
            !(target.Value.TryGetProperty("isCentral", out JsonElement central) && central.ValueKind == JsonValueKind.True))
        {
            throw QrsException.BadRequest($"The node '{target.Value.GetProperty("name").GetString()}' is not a failover candidate.");
        }

        foreach (StoredEntity each in _store.List(Nodes))
        {
            bool becomesCentral = each.Id == node;
            _store.Patch(Nodes, each.Id, n =>
            {
                n["isCentral"] = becomesCentral;
                n["failoverCandidate"] = !becomesCentral;
            }, user);
        }
    }

    private async Task LoadBalancing(HttpContext context, bool engines, JsonObject request)
    {
        string appId = request["appID"]?.ToString() ?? throw QrsException.BadRequest("The request needs an appID.");
        bool found = Guid.TryParse(appId, out Guid app) && _store.Find(Apps, app) is not null;
        string[] hosts = found
            ? _store.List(Nodes).Where(n => n.Value.TryGetProperty("engineEnabled", out JsonElement e) && e.ValueKind == JsonValueKind.True).Select(n => n.Value.GetProperty("hostName").GetString()!).ToArray()
            : [];
        var result = new JsonObject
        {
            ["schemaPath"] = engines ? "LoadBalancingResult" : "LoadBalancingNodesResult",
            ["appID"] = appId,
            ["loadBalancingResultCode"] = found ? 0 : 1,
        };
        result[engines ? "validEngines" : "hosts"] = new JsonArray(hosts.Select(h => (JsonNode)(engines ? $"wss://{h}:4747" : h)).ToArray());
        await QrsHttp.WriteJson(context, 201, result);
    }

    /// <summary>
    /// The QMC's certificate export: a folder for each machine name under <see cref="ExportedCertificatesFolder"/>, in
    /// the Windows (PFX) or PEM format, with the CA's certificate when asked. Answers the folder it wrote to.
    /// </summary>
    private string ExportCertificates(JsonObject parameters)
    {
        QmcCertificateSet certificates = Certificates ?? throw new QrsException(501, "The sandbox was started without certificates to export.");
        string[] machines = (parameters["machineNames"] as JsonArray ?? throw QrsException.BadRequest("machineNames is required."))
            .Select(m => m?.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : throw QrsException.BadRequest("Each machine name must be text."))
            .ToArray();
        if (machines.Length == 0 || machines.Any(m => m.Length == 0 || m.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || m is "." or ".."))
        {
            throw QrsException.BadRequest("Each machine name must be a host name.");
        }

        bool pem = parameters["exportFormat"]?.GetValueKind() == JsonValueKind.Number && parameters["exportFormat"]!.GetValue<long>() == 1;
        string? password = parameters["certificatePassword"]?.ToString();
        foreach (string machine in machines)
        {
            string folder = Path.Combine(ExportedCertificatesFolder, machine);
            Directory.CreateDirectory(folder);
            if (pem)
            {
                QmcExportWriter.WritePemExport(folder, certificates.Root, certificates.Client, certificates.Server);
            }
            else
            {
                QmcExportWriter.WriteWindowsExport(folder, certificates.Root, certificates.Client, certificates.Server, string.IsNullOrEmpty(password) ? null : password);
            }
        }

        return ExportedCertificatesFolder;
    }

    /// <summary>The SP metadata of a SAML virtual proxy, offered once as <c>/download/samlmetadata/{token}/{prefix}_metadata_sp.xml</c>.</summary>
    private Guid OfferSamlMetadata(Guid id, QrsUser user)
    {
        EntityFamily proxies = Schema.Family("virtualproxyconfig")!;
        JsonElement proxy = (_store.Find(proxies, id) ?? throw QrsException.NotFound()).Value;
        if (!proxy.TryGetProperty("authenticationMethod", out JsonElement method) || method.GetInt64() != 3)
        {
            throw QrsException.BadRequest("The virtual proxy does not use SAML authentication.");
        }

        string entityId = proxy.TryGetProperty("samlEntityId", out JsonElement e) ? e.GetString() ?? string.Empty : string.Empty;
        string host = proxy.TryGetProperty("samlHostUri", out JsonElement h) ? h.GetString() ?? string.Empty : string.Empty;
        string prefix = proxy.GetProperty("prefix").GetString() ?? string.Empty;
        string acs = $"{host.TrimEnd('/')}/{(prefix.Length == 0 ? string.Empty : prefix + "/")}samlauthn/";
        string xml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{System.Security.SecurityElement.Escape(entityId)}">
              <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true">
                <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{System.Security.SecurityElement.Escape(acs)}" index="0" isDefault="true" />
              </SPSSODescriptor>
            </EntityDescriptor>
            """;
        string file = Path.Combine(_content.Folder, "saml", Guid.NewGuid() + ".xml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, xml, new UTF8Encoding(false));
        try
        {
            return _content.Offer(file, (prefix.Length == 0 ? "default" : prefix) + "_metadata_sp.xml", user);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
