using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Users;

/// <summary>Who may do what: the access audit and preview privileges tell an administrator and a plain user apart.</summary>
public sealed class AccessAuditCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public AccessAuditCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void TheAuditGivesAnAdminEveryAppAndAPlainUserOnlyReadOnPublishedOnes()
    {
        using PowerShellSession session = _sandbox.Connected();
        int apps = session.Run("Get-QrsApp").AssertNoErrors().Output.Count;
        string[] published = session.Run("Get-QrsApp -Filter 'published eq true'").AssertNoErrors().Output.Select(a => (string)a.Properties["Name"].Value).ToArray();

        PowerShellResult admin = session.Run(@"Get-QrsAccessAudit -User 'LDAP\admin'").AssertNoErrors();
        PowerShellResult plain = session.Run(@"Get-QrsAccessAudit -User 'LDAP\ldapuser001'").AssertNoErrors();

        Assert.Equal(apps, admin.Output.Count);
        Assert.All(admin.Output, e =>
        {
            Assert.Equal(@"LDAP\admin", e.Properties["User"].Value);
            Assert.Contains("Delete", Strings(e, "Actions"));
            Assert.Contains("RootAdmin", Strings(e, "Rules"));
        });
        Assert.Equal(published.Order(), plain.Output.Select(e => (string)e.Properties["Resource"].Value).Order());
        Assert.All(plain.Output, e => Assert.Equal(new[] { "Read" }, Strings(e, "Actions")));
    }

    [Fact]
    public void ResourcesAndActionsNarrowTheAudit()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult sales = session.Run(@"Get-QrsAccessAudit 'LDAP\admin' 'Sales*'").AssertNoErrors();
        PowerShellResult deletes = session.Run(@"Get-QrsAccessAudit -User 'LDAP\ldapuser001', 'LDAP\admin' -Action Delete").AssertNoErrors();
        PowerShellResult streams = session.Run(@"Get-QrsAccessAudit -User 'LDAP\ldapuser001' -ResourceType Stream").AssertNoErrors();
        PowerShellResult unknown = session.Run(@"Get-QrsAccessAudit -User 'LDAP\admin' -ResourceType Widget");

        Assert.NotEmpty(sales.Output);
        Assert.All(sales.Output, e => Assert.StartsWith("Sales", (string)e.Properties["Resource"].Value));
        Assert.All(deletes.Output, e => Assert.Equal(@"LDAP\admin", e.Properties["User"].Value));
        Assert.NotEmpty(deletes.Output);
        Assert.Equal(3, streams.Output.Count);
        Assert.StartsWith("QrsAccessAuditResourceTypeUnknown,", Assert.Single(unknown.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void PrivilegesAreThoseOfTheConnectionsUser()
    {
        using PowerShellSession admin = _sandbox.Connected("LDAP", "admin");
        using PowerShellSession plain = _sandbox.Connected("LDAP", "ldapuser001");
        const string Draft = "@(Get-QrsApp -Filter 'published eq false')[0] | Get-QrsPrivilege";
        const string Published = "@(Get-QrsApp -Filter 'published eq true')[0] | Get-QrsPrivilege";

        PSObject adminDraft = admin.Run(Draft).AssertNoErrors().Single();
        PSObject plainDraft = plain.Run(Draft).AssertNoErrors().Single();
        PSObject plainPublished = plain.Run(Published).AssertNoErrors().Single();
        PowerShellResult notAnEntity = plain.Run("Get-QrsAccessTypeOverview | Get-QrsPrivilege");

        Assert.Contains("delete", Strings(adminDraft, "Privileges"));
        Assert.Equal(@"LDAP\admin", adminDraft.Properties["User"].Value);
        Assert.Empty(Strings(plainDraft, "Privileges"));
        Assert.Equal(new[] { "read" }, Strings(plainPublished, "Privileges"));
        Assert.NotEmpty(notAnEntity.Errors);
    }

    private static string[] Strings(PSObject entry, string property) =>
        ((System.Collections.IEnumerable)entry.Properties[property].Value).Cast<object>().Select(o => o.ToString()!).ToArray();
}
