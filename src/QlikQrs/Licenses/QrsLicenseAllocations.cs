using System;
using System.Collections.Generic;
using System.Linq;
using QlikQrs.Model;

namespace QlikQrs.Licenses;

/// <summary>The kinds of license allocation QRS keeps: a seat for a user (Professional, Analyzer), a user's tokens (User), or a group's login passes (Login).</summary>
public enum QrsLicenseAllocationType
{
    Professional,
    Analyzer,
    User,
    Login,
}

/// <summary>Which QRS family holds each kind of allocation, and how an allocation is named in messages.</summary>
public static class QrsLicenseAllocations
{
    private static readonly Dictionary<QrsLicenseAllocationType, Type> s_types = new()
    {
        [QrsLicenseAllocationType.Professional] = typeof(LicenseProfessionalAccessType),
        [QrsLicenseAllocationType.Analyzer] = typeof(LicenseAnalyzerAccessType),
        [QrsLicenseAllocationType.User] = typeof(LicenseUserAccessType),
        [QrsLicenseAllocationType.Login] = typeof(LicenseLoginAccessType),
    };

    public static QrsEntityFamily FamilyOf(QrsLicenseAllocationType type) => QrsEntityFamilies.OfType(s_types[type])!;

    /// <summary>The kind of an allocation object (full or condensed), or null for any other object.</summary>
    public static QrsLicenseAllocationType? TypeOf(object entity) =>
        QrsEntityFamilies.OfType(entity.GetType()) is QrsEntityFamily family && s_types.FirstOrDefault(t => t.Value == family.EntityType) is { Value: not null } found
            ? found.Key
            : null;

    /// <summary>"the professional allocation of CORP\jdoe, last used 2026-05-01 10:00:00": how an allocation is named in confirmations.</summary>
    public static string Describe(QrsEntity allocation)
    {
        (UserCondensed? user, QrsDateTime? lastUsed, string? name) = allocation switch
        {
            LicenseProfessionalAccessType a => (a.User, a.LastUsed, null),
            LicenseAnalyzerAccessType a => (a.User, a.LastUsed, null),
            LicenseUserAccessType a => (a.User, a.LastUsed, null),
            LicenseLoginAccessType a => ((UserCondensed?)null, (QrsDateTime?)null, a.Name),
            _ => (null, null, null),
        };
        string kind = TypeOf(allocation)?.ToString().ToLowerInvariant() ?? "license";
        string id = (allocation as IQrsEntity)?.Id?.ToString() ?? string.Empty;
        return name is not null
            ? $"the {kind} allocation '{name}' ({id})"
            : $@"the {kind} allocation of {user?.UserDirectory}\{user?.UserId} ({id}), last used {(lastUsed is { IsNever: false } used ? used.LocalTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "never")}";
    }
}

/// <summary>One access type of the license: how many there are, are allocated, used, quarantined and still available.</summary>
public sealed class QrsAccessTypeUsage
{
    public string AccessType { get; init; } = string.Empty;

    /// <summary>Seats (Professional, Analyzer) or Tokens (User, Login).</summary>
    public string Unit { get; init; } = string.Empty;

    public bool Enabled { get; init; }

    public long? Total { get; init; }

    public long Allocated { get; init; }

    public long Used { get; init; }

    public long Quarantined { get; init; }

    public long? Available { get; init; }

    public double? TokenCost { get; init; }

    /// <summary>One row per access type from QRS's overview.</summary>
    public static IEnumerable<QrsAccessTypeUsage> From(AccessTypeOverview overview)
    {
        QrsAccessTypeUsage Seats(string name, AccessTypeOverviewDetailsCondensed? details) => new()
        {
            AccessType = name,
            Unit = "Seats",
            Enabled = details?.Enabled ?? false,
            Total = details?.Total,
            Allocated = details?.Allocated ?? 0,
            Used = details?.Used ?? 0,
            Quarantined = details?.Quarantined ?? 0,
            Available = details?.Available,
        };

        yield return Seats("Professional", overview.ProfessionalAccess);
        yield return Seats("Analyzer", overview.AnalyzerAccess);
        yield return new QrsAccessTypeUsage
        {
            AccessType = "User",
            Unit = "Tokens",
            Enabled = overview.UserAccess?.Enabled ?? false,
            Allocated = overview.UserAccess?.AllocatedTokens ?? 0,
            Used = overview.UserAccess?.UsedTokens ?? 0,
            Quarantined = overview.UserAccess?.QuarantinedTokens ?? 0,
            TokenCost = overview.UserAccess?.TokenCost,
        };
        yield return new QrsAccessTypeUsage
        {
            AccessType = "Login",
            Unit = "Tokens",
            Enabled = overview.LoginAccess?.Enabled ?? false,
            Allocated = overview.LoginAccess?.AllocatedTokens ?? 0,
            Used = overview.LoginAccess?.UsedTokens ?? 0,
            TokenCost = overview.LoginAccess?.TokenCost,
        };
    }
}
