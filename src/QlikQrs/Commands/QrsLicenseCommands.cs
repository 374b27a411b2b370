using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Licenses;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets the site's license: serial, licensee, product and state; never its key or control number.</summary>
[Cmdlet(VerbsCommon.Get, "QrsLicense")]
[OutputType(typeof(License))]
public sealed class GetQrsLicenseCommand : QrsConnectedCmdlet
{
    protected override async Task ProcessRecordAsync(CancellationToken cancellation) =>
        PostObject(await ConnectionFor(null).Client.GetLicenseAsync(cancellation).ConfigureAwait(false));
}

/// <summary>Sets the site's license from a signed license key, or from a serial number and its control number.</summary>
[Cmdlet(VerbsCommon.Set, "QrsLicense", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = KeySet)]
[OutputType(typeof(License))]
public sealed class SetQrsLicenseCommand : QrsConnectedCmdlet
{
    private const string KeySet = "Key";
    private const string SerialSet = "Serial";

    /// <summary>The signed license key (Read-Host -AsSecureString).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    public SecureString Key { get; set; } = null!;

    /// <summary>The license's serial number, 16 digits.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SerialSet)]
    [ValidatePattern("^[0-9]{16}$")]
    public string Serial { get; set; } = null!;

    /// <summary>The serial's control number (Read-Host -AsSecureString).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SerialSet)]
    public SecureString Control { get; set; } = null!;

    /// <summary>The license enabler file's text (LEF), when Qlik gave one with the serial.</summary>
    [Parameter(ParameterSetName = SerialSet)]
    [ValidateNotNullOrEmpty]
    public string? Lef { get; set; }

    /// <summary>The licensee's name; the current one when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The licensee's organization; the current one when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>Writes the license as QRS keeps it now.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        bool byKey = ParameterSetName == KeySet;
        string? key = byKey ? QrsSecret.Reveal(Key, nameof(Key)) : null;
        string? control = byKey ? null : QrsSecret.Reveal(Control, nameof(Control));
        string? serial = byKey ? null : Serial;
        string? lef = Lef;
        string? name = Name;
        string? organization = Organization;
        bool passThru = PassThru.IsPresent;
        QrsClient client = ConnectionFor(null).Client;
        License? current = null;
        try
        {
            current = await client.GetLicenseAsync(cancellation).ConfigureAwait(false);
        }
        catch (QrsRequestException exception) when (exception.StatusCode == 404)
        {
            // A site without a license gets one added.
        }

        string what = byKey ? "a signed license key" : $"the serial number {serial}";
        if (!await ShouldProcessAsync($"the license of {client.Connection.ComputerName}", $"Set to {what}").ConfigureAwait(false))
        {
            return;
        }

        var license = new License
        {
            Id = current?.Id,
            ModifiedDate = current?.ModifiedDate,
            Key = key ?? string.Empty,
            Serial = serial ?? string.Empty,
            Lef = lef ?? (byKey ? string.Empty : null),
            Name = name ?? current?.Name,
            Organization = organization ?? current?.Organization,
        };
        License saved = await client.SetLicenseAsync(license, control, current?.Id, cancellation).ConfigureAwait(false);
        if (passThru)
        {
            PostObject(saved);
        }
    }
}

/// <summary>Gets license allocations: professional and analyzer seats and user tokens by user (with when each was last used), login passes by group.</summary>
[Cmdlet(VerbsCommon.Get, "QrsLicenseAllocation")]
[OutputType(typeof(LicenseProfessionalAccessType), typeof(LicenseAnalyzerAccessType), typeof(LicenseUserAccessType), typeof(LicenseLoginAccessType))]
public sealed class GetQrsLicenseAllocationCommand : QrsConnectedCmdlet
{
    /// <summary>The kinds of allocation; Professional, Analyzer and User when left out.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public QrsLicenseAllocationType[]? Type { get; set; }

    /// <summary>Only allocations not used since this date (never used counts as not used).</summary>
    [Parameter]
    public DateTime? InactiveSince { get; set; }

    /// <summary>Only the allocations of this user, as DIR\userid.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsLicenseAllocationType[] types = (Type ?? new[] { QrsLicenseAllocationType.Professional, QrsLicenseAllocationType.Analyzer, QrsLicenseAllocationType.User }).Distinct().ToArray();
        DateTime? since = InactiveSince;
        string? user = User;
        if ((since is not null || user is not null) && types.Contains(QrsLicenseAllocationType.Login))
        {
            throw new QrsCommandException("QrsLicenseAllocationLoginPerUser", ErrorCategory.InvalidArgument,
                "Login allocations belong to groups, not users, and have no last use: -InactiveSince and -User do not apply to them.", QrsLicenseAllocationType.Login,
                "Leave Login out of -Type, or leave out -InactiveSince and -User.");
        }

        string? filter = QrsFilterBuilder.And(
            since is DateTime date ? $"lastUsed lt {QrsFilterBuilder.Literal(date.ToUniversalTime())}" : null,
            user is null ? null : UserFilter.For("user", user));
        QrsClient client = ConnectionFor(null).Client;
        foreach (QrsLicenseAllocationType type in types)
        {
            await foreach (QrsEntity allocation in client.ListAsync(QrsLicenseAllocations.FamilyOf(type), full: true, new QrsQuery(filter), cancellation).ConfigureAwait(false))
            {
                PostObject(allocation);
            }
        }
    }
}

/// <summary>Removes license allocations given by Get-QrsLicenseAllocation, freeing the seat or tokens (QRS quarantines recently used ones). ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsLicenseAllocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveQrsLicenseAllocationCommand : QrsChangeCmdlet
{
    /// <summary>An allocation Get-QrsLicenseAllocation returned.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public QrsEntity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsEntity allocation = InputObject;
        if (QrsLicenseAllocations.TypeOf(allocation) is null || allocation is not IQrsEntity { Id: Guid id })
        {
            throw new QrsCommandException("QrsWrongEntityType", ErrorCategory.InvalidArgument,
                $"'{allocation}' is a {allocation.GetType().Name}, not a license allocation.", allocation,
                "Pipe what Get-QrsLicenseAllocation returns.");
        }

        QrsClient client = ConnectionFor(allocation).Client;
        if (await ShouldProcessAsync(QrsLicenseAllocations.Describe(allocation), "Remove").ConfigureAwait(false))
        {
            try
            {
                await client.DeleteAsync(QrsEntityFamilies.OfType(allocation.GetType())!, id, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(allocation).ToErrorRecord());
            }
        }
    }
}

/// <summary>Shows, per access type, how much the license has, how much is allocated, used, quarantined and still available.</summary>
[Cmdlet(VerbsCommon.Get, "QrsAccessTypeOverview")]
[OutputType(typeof(QrsAccessTypeUsage))]
public sealed class GetQrsAccessTypeOverviewCommand : QrsConnectedCmdlet
{
    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        foreach (QrsAccessTypeUsage usage in QrsAccessTypeUsage.From(await ConnectionFor(null).Client.GetAccessTypeOverviewAsync(cancellation).ConfigureAwait(false)))
        {
            PostObject(usage);
        }
    }
}
