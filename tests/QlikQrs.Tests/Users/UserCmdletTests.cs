using System;
using System.Linq;
using System.Management.Automation;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Users;

/// <summary>Users and user directories as an administrator manages them, against the sandbox.</summary>
public sealed class UserCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public UserCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void UsersAreFoundByDirectoryAndUserIdWithWildcardsInEitherPart()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult corp = session.Run(@"Get-QrsUser 'CORP\user00001*'").AssertNoErrors();
        PowerShellResult anyDirectory = session.Run(@"Get-QrsUser '*\user000003', 'corp\USER000006'").AssertNoErrors();

        Assert.NotEmpty(corp.Output);
        Assert.All(corp.Output, u =>
        {
            Assert.Equal("QlikQrs.Model.User", u.BaseObject.GetType().FullName);
            Assert.Equal("CORP", u.Properties["UserDirectory"].Value);
            Assert.StartsWith("user00001", (string)u.Properties["UserId"].Value);
        });
        Assert.Equal(new[] { "user000003", "user000006" }, anyDirectory.Output.Select(u => (string)u.Properties["UserId"].Value).Order());
    }

    [Fact]
    public void AUserThatDoesNotExistIsQrsUserNotFoundNamingThem()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult result = session.Run(@"Get-QrsUser 'CORP\nobody'; Remove-QrsUser 'CORP\nobody' -Confirm:$false; Get-QrsUser 'CORP\nobody*'");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("QrsUserNotFound,", e.FullyQualifiedErrorId);
            Assert.Contains(@"CORP\nobody", e.TargetObject.ToString());
        });
        Assert.Empty(result.Output);
    }

    [Fact]
    public void DirectoryRoleAndInactivityNarrowTheList()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult admins = session.Run("Get-QrsUser -Directory LDAP -Role rootadmin").AssertNoErrors();
        PowerShellResult emea = session.Run("Get-QrsUser -Directory 'EM*'").AssertNoErrors();
        PowerShellResult inactive = session.Run("Get-QrsUser -Inactive").AssertNoErrors();

        Assert.Equal("admin", admins.Single().Properties["UserId"].Value);
        Assert.NotEmpty(emea.Output);
        Assert.All(emea.Output, u => Assert.Equal("EMEA", u.Properties["UserDirectory"].Value));
        Assert.NotEmpty(inactive.Output);
        Assert.All(inactive.Output, u => Assert.True((bool)u.Properties["Inactive"].Value));
    }

    [Fact]
    public void AUserIsCreatedWithRolesChangedAndRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult created = session.Run(@"New-QrsUser 'CORP\jdoe' -Name 'Jane Doe' -Role ContentAdmin").AssertNoErrors();
        PowerShellResult again = session.Run(@"New-QrsUser 'CORP\jdoe'");
        PowerShellResult changed = session.Run(@"Set-QrsUser 'CORP\jdoe' -AddRole SecurityAdmin, AuditAdmin -RemoveRole contentadmin -PassThru").AssertNoErrors();
        session.Run(@"Remove-QrsUser 'CORP\jdoe' -WhatIf").AssertNoErrors();
        Assert.Single(session.Run(@"Get-QrsUser 'CORP\jdoe'").AssertNoErrors().Output);
        session.Run(@"Get-QrsUser 'CORP\jdoe' | Remove-QrsUser -Confirm:$false").AssertNoErrors();

        Assert.Equal(new[] { "ContentAdmin" }, ((System.Collections.IEnumerable)created.Single().Properties["Roles"].Value).Cast<object>().Select(r => r.ToString()));
        Assert.StartsWith("QrsUserExists,", Assert.Single(again.Errors).FullyQualifiedErrorId);
        Assert.Equal(new[] { "AuditAdmin", "SecurityAdmin" }, ((System.Collections.IEnumerable)changed.Single().Properties["Roles"].Value).Cast<object>().Select(r => r.ToString()).Order());
        Assert.StartsWith("QrsUserNotFound,", Assert.Single(session.Run(@"Get-QrsUser 'CORP\jdoe'").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void ANewUserMustBeGivenAsDirectoryAndUserIdWithoutWildcards()
    {
        using PowerShellSession session = _sandbox.Connected();

        PowerShellResult result = session.Run(@"New-QrsUser 'jdoe'; New-QrsUser 'CORP\j*'; New-QrsUser 'CORP\'; Set-QrsUser 'CORP\user000003'");

        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors.Take(3), e => Assert.StartsWith("QrsUserIdentityInvalid,", e.FullyQualifiedErrorId));
        Assert.StartsWith("QrsNothingToChange,", result.Errors[3].FullyQualifiedErrorId);
    }

    [Fact]
    public void ASyncWaitedForShowsProgressAndReportsTheUsersItAddedChangedAndRemoved()
    {
        using PowerShellSession session = _sandbox.Connected();
        using PowerShell shell = PowerShell.Create(session.Runspace);
        shell.AddScript("Get-QrsUserDirectory LDAP | Sync-QrsUserDirectory -Wait -Confirm:$false");

        PSObject report = Assert.Single(shell.Invoke());
        Assert.Empty(shell.Streams.Error);

        Assert.Equal("QlikQrs.Users.QrsUserDirectorySyncResult", report.BaseObject.GetType().FullName);
        Assert.Contains(shell.Streams.Progress, p => p.Activity.Contains("'LDAP'") && p.RecordType == ProgressRecordType.Processing);
        Assert.Contains(shell.Streams.Progress, p => p.RecordType == ProgressRecordType.Completed);
        string[] Users(string list) => ((System.Collections.IEnumerable)report.Properties[list].Value).Cast<object>()
            .Select(u => (string)PSObject.AsPSObject(u).Properties["UserId"].Value).ToArray();
        string added = Assert.Single(Users("Added"));
        string removed = Assert.Single(Users("Removed"));
        Assert.Single(Users("Changed"));
        Assert.Equal(added, session.Run($@"Get-QrsUser 'LDAP\{added}'").AssertNoErrors().Single().Properties["UserId"].Value);
        Assert.Contains(session.Run("Get-QrsUser -Directory LDAP -Inactive").AssertNoErrors().Output, u => (string)u.Properties["UserId"].Value == removed);
    }

    [Fact]
    public void ADirectoryIsRemovedWithItsUsersOnlyWhenAskedTo()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("""
            $null = New-QrsEntity userdirectory @{ name = 'PARTNERS'; userDirectoryName = 'PARTNERS'; type = 'Repository.UserDirectoryConnectors.ADSI.ActiveDirectory' }
            $null = New-QrsEntity userdirectory @{ name = 'VENDORS'; userDirectoryName = 'VENDORS'; type = 'Repository.UserDirectoryConnectors.ADSI.ActiveDirectory' }
            'PARTNERS\p1', 'PARTNERS\p2', 'VENDORS\v1' | New-QrsUser
            """).AssertNoErrors();

        session.Run("Remove-QrsUserDirectory PARTNERS -IncludeUsers -Confirm:$false; Remove-QrsUserDirectory VENDORS -Confirm:$false").AssertNoErrors();

        Assert.Empty(session.Run("Get-QrsUser -Directory PARTNERS").AssertNoErrors().Output);
        Assert.Single(session.Run("Get-QrsUser -Directory VENDORS").AssertNoErrors().Output);
        ErrorRecord gone = Assert.Single(session.Run("Get-QrsUserDirectory PARTNERS").Errors);
        Assert.StartsWith("QrsUserDirectoryNotFound,", gone.FullyQualifiedErrorId);
        Assert.Equal(new[] { "AMER", "CORP", "EMEA", "INTERNAL", "LDAP" },
            session.Run("Get-QrsUserDirectory").AssertNoErrors().Output.Select(d => (string)d.Properties["Name"].Value).Order());
    }
}
