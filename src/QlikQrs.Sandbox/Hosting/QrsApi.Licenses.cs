using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using QlikQrs.Sandbox.Filtering;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The site's license: read, set by a signed license key or by a serial and its control number (<c>?control=</c>),
/// and the overview of the access types it allocates. The control number of a serial is the sandbox's own
/// checksum (the digits weighted by their position, times 7919, modulo 100000, as five digits), so that tests and
/// examples can give a right and a wrong one. Neither a key nor a control number is ever written into an answer.
/// </summary>
public sealed partial class QrsApi
{
    private const int ProfessionalTotal = 25;
    private const int AnalyzerTotal = 50;
    private const int TotalTokens = 200;

    private static readonly Regex s_serial = new("^[0-9]{16}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_signedKey = new("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);

    private async Task<bool> TryLicensesAsync(HttpContext context, string[] s, QrsUser user)
    {
        string method = context.Request.Method;
        switch (s)
        {
            case ["license"] when method == "GET":
                StoredEntity current = _store.List(UsersSeeder.LicenseFamily).FirstOrDefault() ?? throw QrsException.NotFound("The site has no license.");
                await WriteLicense(context, 200, current);
                return true;
            case ["license"] when method == "POST":
                if (_store.List(UsersSeeder.LicenseFamily).Count > 0)
                {
                    throw QrsException.Conflict("The site has a license already; change it with PUT /qrs/license/{id}.");
                }

                JsonObject created = CheckedLicense(await QrsHttp.ReadObject(context.Request, context.RequestAborted), context.Request.Query["control"]);
                await WriteLicense(context, 201, _store.Seed(UsersSeeder.LicenseFamily, Guid.NewGuid(), created, DateTime.UtcNow));
                return true;
            case ["license", _] when method == "PUT" && Guid.TryParse(s[1], out Guid id):
                JsonObject body = CheckedLicense(await QrsHttp.ReadObject(context.Request, context.RequestAborted), context.Request.Query["control"]);
                StoredEntity stored = _store.Find(UsersSeeder.LicenseFamily, id) ?? throw QrsException.NotFound($"There is no license with the id {id}.");
                if (QrsDate.TryParse(body["modifiedDate"]?.ToString(), out DateTime given) && QrsDate.TryParse(stored.Value.GetProperty("modifiedDate").GetString(), out DateTime saved) && saved > given)
                {
                    throw QrsException.Conflict("The license was changed since it was read.");
                }

                await WriteLicense(context, 200, _store.Patch(UsersSeeder.LicenseFamily, id, license =>
                {
                    foreach (string property in new[] { "serial", "key", "lef", "name", "organization" })
                    {
                        license[property] = body[property]?.DeepClone() ?? license[property]?.DeepClone();
                    }

                    license["check"] = body["check"]?.DeepClone();
                    license["updated"] = QrsDate.Now();
                }, user));
                return true;
            case ["license", _] when method == "DELETE" && Guid.TryParse(s[1], out Guid removed):
                if (!_store.Delete(UsersSeeder.LicenseFamily, removed))
                {
                    throw QrsException.NotFound($"There is no license with the id {removed}.");
                }

                context.Response.StatusCode = 204;
                return true;
            case ["license", "download"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, JsonValue.Create(LicenseFile(context.Request.Query)));
                return true;
            case ["licenseaccessusage"] when method == "GET":
                await WriteList(context, AccessUsages(context.Request.Query["filter"], context.Request.Query["orderby"]), Schema.Type("LicenseAccessUsageCondensed"), QueryValues.Flag(context.Request.Query, "privileges"));
                return true;
            case ["licenseaccessusage", "full"] when method == "GET":
                await WriteList(context, AccessUsages(context.Request.Query["filter"], context.Request.Query["orderby"]), Schema.Type("LicenseAccessUsage"), QueryValues.Flag(context.Request.Query, "privileges"));
                return true;
            case ["licenseaccessusage", "table"] when method == "POST":
                await Table(context, Schema.Type("LicenseAccessUsage"), AccessUsages(context.Request.Query["filter"], null), await QrsHttp.ReadObject(context.Request, context.RequestAborted));
                return true;
            case ["license", "accesstypeoverview"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, AccessTypeOverview());
                return true;
            case ["license", "accesstypeinfo"] when method == "GET":
                await QrsHttp.WriteJson(context, 200, AccessTypesInfo());
                return true;
            default:
                return false;
        }
    }

    /// <summary>A license body as QRS takes one: a signed key, or a serial with the control number that fits it.</summary>
    private static JsonObject CheckedLicense(JsonObject body, string? control)
    {
        string? key = body["key"]?.ToString();
        string? serial = body["serial"]?.ToString();
        if (!string.IsNullOrEmpty(key))
        {
            if (!s_signedKey.IsMatch(key))
            {
                throw QrsException.BadRequest("The license key is not a signed license key.");
            }
        }
        else if (string.IsNullOrEmpty(serial) || !s_serial.IsMatch(serial))
        {
            throw QrsException.BadRequest("A license needs a signed license key, or a serial number of 16 digits with its control number.");
        }
        else if (control != ControlOf(serial))
        {
            throw QrsException.BadRequest($"The control number does not match the serial number {serial}.");
        }

        body["check"] = string.IsNullOrEmpty(key) ? control : string.Empty;
        return body;
    }

    /// <summary>
    /// GET /license/download: the license enabling file QRS fetches for a serial and its control number. The
    /// sandbox writes its own, naming the serial, the licensee and the organization, never the control number.
    /// </summary>
    private static string LicenseFile(IQueryCollection query)
    {
        string Required(string name) => query[name].ToString() is { Length: > 0 } value ? value : throw QrsException.BadRequest($"The download needs '{name}'.");
        string serial = Required("serial");
        string control = Required("control");
        string user = Required("user");
        string organization = Required("org");
        if (!s_serial.IsMatch(serial))
        {
            throw QrsException.BadRequest("The serial number is not 16 digits.");
        }

        if (control != ControlOf(serial))
        {
            throw QrsException.BadRequest($"The control number does not match the serial number {serial}.");
        }

        return string.Join('\n', "Qlik Sense Enterprise;;;", $"SERIAL;{serial};;", $"NAME;{user};;", $"ORGANIZATION;{organization};;", $"TOKENS;{TotalTokens};;", $"PROFESSIONAL;{ProfessionalTotal};;", $"ANALYZER;{AnalyzerTotal};;");
    }

    /// <summary>The usage records of every access type (professional, analyzer, user, login...), as their base type LicenseAccessUsage lists them.</summary>
    private IEnumerable<StoredEntity> AccessUsages(string? filter, string? orderBy)
    {
        IEnumerable<StoredEntity> usages = Schema.Families
            .Where(f => f.Name.StartsWith("license/", StringComparison.Ordinal) && f.Name.EndsWith("accessusage", StringComparison.Ordinal))
            .SelectMany(f => Select(f, filter, null));
        return string.IsNullOrWhiteSpace(orderBy) ? usages : QrsOrderBy.Parse(orderBy).Apply(usages, Schema.Type("LicenseAccessUsage"), _renderer);
    }

    private static string ControlOf(string serial) =>
        (serial.Select((digit, index) => (digit - '0') * (index + 1)).Sum() * 7919L % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The license as QRS shows it, with the key and the control number blanked.</summary>
    private Task WriteLicense(HttpContext context, int status, StoredEntity license)
    {
        JsonObject shown = JsonNode.Parse(license.Value.GetRawText())!.AsObject();
        shown["key"] = string.Empty;
        shown["check"] = string.Empty;
        return QrsHttp.WriteJson(context, status, shown);
    }

    private (int Allocated, int Used, int Quarantined) Allocations(string family)
    {
        var all = _store.List(Schema.Family(family)!);
        return (all.Count,
            all.Count(a => a.Value.TryGetProperty("lastUsed", out JsonElement used) && used.GetString() != QrsDate.Never),
            all.Count(a => a.Value.TryGetProperty("quarantined", out JsonElement q) && q.ValueKind == JsonValueKind.True));
    }

    private JsonObject AccessTypeOverview()
    {
        JsonObject Seats(string family, int total)
        {
            var (allocated, used, quarantined) = Allocations(family);
            return new JsonObject
            {
                ["schemaPath"] = "AccessTypeOverviewDetailsCondensed",
                ["enabled"] = true,
                ["total"] = total,
                ["allocated"] = allocated,
                ["used"] = used,
                ["quarantined"] = quarantined,
                ["excess"] = Math.Max(0, allocated - total),
                ["available"] = Math.Max(0, total - allocated - quarantined),
            };
        }

        var (userAllocated, userUsed, userQuarantined) = Allocations("license/useraccesstype");
        int loginTokens = _store.List(Schema.Family("license/loginaccesstype")!).Sum(l => l.Value.TryGetProperty("assignedTokens", out JsonElement t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : 0);
        return new JsonObject
        {
            ["schemaPath"] = "AccessTypeOverview",
            ["totalTokens"] = TotalTokens,
            ["availableTokens"] = Math.Max(0, TotalTokens - userAllocated - loginTokens),
            ["tokensEnabled"] = true,
            ["userAccess"] = new JsonObject { ["schemaPath"] = "AccessTypeOverviewUserAccessDetailsCondensed", ["enabled"] = true, ["tokenCost"] = 1, ["allocatedTokens"] = userAllocated, ["usedTokens"] = userUsed, ["quarantinedTokens"] = userQuarantined },
            ["loginAccess"] = new JsonObject { ["schemaPath"] = "AccessTypeOverviewLoginAccessDetailsCondensed", ["enabled"] = true, ["tokenCost"] = 0.1, ["allocatedTokens"] = loginTokens, ["usedTokens"] = 0, ["unavailableTokens"] = 0 },
            ["professionalAccess"] = Seats("license/professionalaccesstype", ProfessionalTotal),
            ["analyzerAccess"] = Seats("license/analyzeraccesstype", AnalyzerTotal),
        };
    }

    private JsonObject AccessTypesInfo()
    {
        JsonObject Tokens(string schemaPath, string family, double cost)
        {
            var (allocated, used, quarantined) = Allocations(family);
            return new JsonObject { ["schemaPath"] = schemaPath, ["tokenCost"] = cost, ["allocatedTokens"] = allocated, ["usedTokens"] = used, ["quarantinedTokens"] = quarantined };
        }

        var (userAllocated, _, _) = Allocations("license/useraccesstype");
        return new JsonObject
        {
            ["schemaPath"] = "AccessTypesInfo",
            ["totalTokens"] = TotalTokens,
            ["availableTokens"] = Math.Max(0, TotalTokens - userAllocated),
            ["professionalAccessType"] = Tokens("AccessTypesInfoProfessionalAccessTypeCondensed", "license/professionalaccesstype", 0),
            ["userAccessType"] = Tokens("AccessTypesInfoUserAccessTypeCondensed", "license/useraccesstype", 1),
            ["analyzerAccessType"] = Tokens("AccessTypesInfoAnalyzerAccessTypeCondensed", "license/analyzeraccesstype", 0),
            ["loginAccessType"] = new JsonObject { ["schemaPath"] = "AccessTypesInfoLoginAccessTypeCondensed", ["tokenCost"] = 0.1, ["allocatedTokens"] = 0, ["usedTokens"] = 0, ["unavailableTokens"] = 0 },
        };
    }
}
