using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Users;

/// <summary>The license, its allocations and the access type overview, against the sandbox.</summary>
public sealed class LicenseCmdletTests : IClassFixture<SandboxSession>
{
    // The sandbox's control number for the seeded serial, and one that does not fit it.
    private const string Serial = "9999000000001234";
    private const string RightControl = "00560";
    private const string WrongControl = "31337";
    private const string SignedKey = "eyJhbGciOiJFZERTQSJ9.eyJsaWNlbnNlIjoic2FuZGJveCJ9.c2lnbmF0dXJl";

    private readonly SandboxSession _sandbox;

    public LicenseCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void AWrongControlNumberIsRefusedWithoutEverShowingIt()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult result = session.Run("Set-QrsLicense -Serial $args[0] -Control $args[1] -Confirm:$false -Verbose", Serial, Secure(WrongControl));

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("QrsBadRequest,", error.FullyQualifiedErrorId);
        Assert.Contains("control number does not match", error.ToString());
        PSObject exception = PSObject.AsPSObject(error.Exception);
        Assert.Equal("QrsRequestException", error.Exception.GetType().Name);
        string everything = string.Join("\n", error.ToString(), error.Exception.Message, exception.Properties["Trace"].Value, exception.Properties["ResponseText"].Value,
            exception.Properties["Uri"].Value, error.TargetObject, error.ErrorDetails?.Message, string.Join("\n", result.Verbose.Select(v => v.Message)));
        Assert.DoesNotContain(WrongControl, everything);
        Assert.DoesNotContain("control=", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheLicenseIsSetBySerialAndControlNumberOrBySignedKeyAndNeverShowsEither()
    {
        using PowerShellSession session = _sandbox.Connected();

        PSObject bySerial = session.Run("Set-QrsLicense -Serial $args[0] -Control $args[1] -Organization 'Example Ltd' -Confirm:$false -PassThru", Serial, Secure(RightControl))
            .AssertNoErrors().Single();
        PSObject byKey = session.Run("Set-QrsLicense -Key $args[0] -Confirm:$false -PassThru", Secure(SignedKey)).AssertNoErrors().Single();
        PSObject read = session.Run("Get-QrsLicense").AssertNoErrors().Single();

        Assert.Equal("Example Ltd", bySerial.Properties["Organization"].Value);
        Assert.Equal(Serial, bySerial.Properties["Serial"].Value);
        Assert.Equal("Example Ltd", byKey.Properties["Organization"].Value);
        foreach (PSObject license in new[] { bySerial, byKey, read })
        {
            Assert.Null(license.Properties["Key"].Value);
            Assert.Null(license.Properties["Check"].Value);
        }
    }

    [Fact]
    public void AllocationsUnusedForNinetyDaysAreFoundAndRemovedAndTheOthersStay()
    {
        using PowerShellSession session = _sandbox.Connected();
        DateTime cutoff = DateTime.Now.AddDays(-90);
        long allocatedBefore = Allocated(session);

        PowerShellResult stale = session.Run("Get-QrsLicenseAllocation -Type Professional -InactiveSince $args[0]", cutoff).AssertNoErrors();
        session.Run("Get-QrsLicenseAllocation -Type Professional -InactiveSince $args[0] | Remove-QrsLicenseAllocation -Confirm:$false -ThrottleLimit 4", cutoff).AssertNoErrors();

        Assert.NotEmpty(stale.Output);
        Assert.All(stale.Output, a => Assert.True((DateTime)PSObject.AsPSObject(a.Properties["LastUsed"].Value).Properties["Value"].Value < cutoff.ToUniversalTime()));
        Assert.Empty(session.Run("Get-QrsLicenseAllocation -Type Professional -InactiveSince $args[0]", cutoff).AssertNoErrors().Output);
        Assert.NotEmpty(session.Run("Get-QrsLicenseAllocation -Type Professional").AssertNoErrors().Output);
        Assert.Equal(allocatedBefore - stale.Output.Count, Allocated(session));
    }

    [Fact]
    public void AllocationsAreFoundByUserAndLoginAllocationsHaveNoUser()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult mine = session.Run(@"Get-QrsLicenseAllocation -User 'LDAP\admin'").AssertNoErrors();
        PowerShellResult login = session.Run("Get-QrsLicenseAllocation -Type Login").AssertNoErrors();
        PowerShellResult refused = session.Run("Get-QrsLicenseAllocation -Type Login -InactiveSince $args[0]", DateTime.Now);
        PowerShellResult wrong = session.Run("Get-QrsStream | Remove-QrsLicenseAllocation -Confirm:$false");

        Assert.Equal("QlikQrs.Model.LicenseProfessionalAccessType", mine.Single().BaseObject.GetType().FullName);
        Assert.Equal("Contractors", login.Single().Properties["Name"].Value);
        Assert.StartsWith("QrsLicenseAllocationLoginPerUser,", Assert.Single(refused.Errors).FullyQualifiedErrorId);
        Assert.All(wrong.Errors, e => Assert.StartsWith("QrsWrongEntityType,", e.FullyQualifiedErrorId));
        Assert.NotEmpty(wrong.Errors);
    }

    [Fact]
    public void TheOverviewHasARowPerAccessType()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult overview = session.Run("Get-QrsAccessTypeOverview").AssertNoErrors();

        Assert.Equal(new[] { "Professional", "Analyzer", "User", "Login" }, overview.Output.Select(r => (string)r.Properties["AccessType"].Value));
        PSObject professional = overview.Output[0];
        Assert.Equal(25L, professional.Properties["Total"].Value);
        Assert.Equal(25L - (long)professional.Properties["Allocated"].Value, professional.Properties["Available"].Value);
    }

    private static long Allocated(PowerShellSession session) =>
        (long)session.Run("Get-QrsAccessTypeOverview").AssertNoErrors().Output.First().Properties["Allocated"].Value;

    private static System.Security.SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;
}
