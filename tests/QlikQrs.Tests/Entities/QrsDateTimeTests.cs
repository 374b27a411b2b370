using System.Linq;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Entities;

/// <summary>QRS dates in scripts: compared with DateTime and each other, shown as an admin reads them, sent as QRS wrote them.</summary>
public sealed class QrsDateTimeTests
{
    private const string Apps = """
        $apps = '{"name":"Old","lastReloadTime":"2018-12-17T15:58:21.204Z"}', '{"name":"Recent","lastReloadTime":"2099-01-01T00:00:00.000Z"}',
                '{"name":"Never","lastReloadTime":"1753-01-01T00:00:00.000Z"}', '{"name":"Unknown"}' |
            ForEach-Object { [QlikQrs.Model.QrsEntity]::FromJson($_, [QlikQrs.Model.App]) }
        $old = $apps[0]
        """;

    [Fact]
    public void DatesCompareWithDateTimeInEitherOrderAndAnyKind()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run(Apps + """

            # The same moment as $old's, without its milliseconds, in this machine's time zone (as Get-Date gives it).
            $local = [datetime]::new(2018, 12, 17, 15, 58, 21, [DateTimeKind]::Utc).ToLocalTime()
            $old.LastReloadTime -gt $local
            $old.LastReloadTime -lt $local.AddSeconds(1)
            $old.LastReloadTime -eq $local.AddMilliseconds(204)
            $local -lt $old.LastReloadTime
            $old.LastReloadTime -lt [datetime]'2025-01-01'
            $old.LastReloadTime -gt [datetime]::Now
            $old.LastReloadTime -lt $apps[1].LastReloadTime
            $old.LastReloadTime -eq [QlikQrs.Model.QrsDateTime]::new('2018-12-17T15:58:21.204Z')
            """).AssertNoErrors();

        Assert.Equal(new object[] { true, true, true, true, true, false, true, true }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void WhereObjectAndSortingCompareTheMoments()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run(Apps + """

            ($apps | Where-Object LastReloadTime -lt ([datetime]::Now.AddDays(-90)) | ForEach-Object Name) -join ','
            ($apps | Where-Object { $_.LastReloadTime -gt [datetime]::Now } | ForEach-Object Name) -join ','
            # Sort-Object orders through LanguagePrimitives.Compare (the hosted engine has no Sort-Object).
            [System.Management.Automation.LanguagePrimitives]::Compare($old.LastReloadTime, $apps[1].LastReloadTime) -lt 0
            [System.Management.Automation.LanguagePrimitives]::Compare($apps[1].LastReloadTime, $apps[2].LastReloadTime) -gt 0
            """).AssertNoErrors();

        // PowerShell ranks $null below every value, so an app without a reload time is among the old ones.
        Assert.Equal(new object[] { "Old,Never,Unknown", "Recent", true, true }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void NeverReadsAsNeverAndQrsGetsItsOwnTextBack()
    {
        using var session = new PowerShellSession();
        PowerShellResult result = session.Run(Apps + """

            "$($apps[2].LastReloadTime)"
            $apps[2].LastReloadTime.IsNever
            "$($old.LastReloadTime)"
            $old.LastReloadTime.LocalTime -eq $old.LastReloadTime.Value.ToLocalTime()
            $old.LastReloadTime.LocalTime.Kind
            $apps[2].ToJson()
            New-QrsFilter @{ lastReloadTime = $apps[2].LastReloadTime }
            $old.LastReloadTime = [datetime]::new(2024, 1, 2, 3, 4, 5, 678, [DateTimeKind]::Utc).ToLocalTime()
            $old.LastReloadTime.Text
            """).AssertNoErrors();

        Assert.Equal("never", result.Output[0].BaseObject);
        Assert.Equal(true, result.Output[1].BaseObject);
        Assert.Equal("2018-12-17T15:58:21.204Z", result.Output[2].BaseObject);
        Assert.Equal(true, result.Output[3].BaseObject);
        Assert.Equal("Local", result.Output[4].ToString());
        Assert.Equal("""{"name":"Never","lastReloadTime":"1753-01-01T00:00:00.000Z"}""", result.Output[5].BaseObject);
        Assert.Equal("lastReloadTime eq '1753-01-01T00:00:00.000Z'", result.Output[6].BaseObject);
        Assert.Equal("2024-01-02T03:04:05.678Z", result.Output[7].BaseObject);
    }
}
