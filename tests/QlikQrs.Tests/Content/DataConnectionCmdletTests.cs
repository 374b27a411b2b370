using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.Json;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Content;

/// <summary>Data connections, and their passwords kept out of everything a session shows or records.</summary>
public sealed class DataConnectionCmdletTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;

    public DataConnectionCmdletTests(SandboxSession sandbox) => _sandbox = sandbox;

    [Fact]
    public void SeededConnectionsAreFoundByTypeAndNameWithoutAPassword()
    {
        using PowerShellSession session = _sandbox.Connected();
        IReadOnlyList<PSObject> folders = session.Run("Get-QrsDataConnection -Type folder").AssertNoErrors().Output;
        PSObject warehouse = session.Run("Get-QrsDataConnection 'Sales*'").AssertNoErrors().Single();
        PowerShellResult missing = session.Run("Get-QrsDataConnection 'No such connection'");

        Assert.Contains(folders, f => (string)f.Properties["Name"].Value == "Archive");
        Assert.Contains(folders, f => (string)f.Properties["Name"].Value == "DataFiles");
        Assert.All(folders, f => Assert.Equal("folder", f.Properties["Type"].Value));
        Assert.Equal(("OLEDB", @"CORP\svc_sales", null), ((string)warehouse.Properties["Type"].Value, (string)warehouse.Properties["Username"].Value, warehouse.Properties["Password"].Value));
        Assert.StartsWith("QrsDataConnectionNotFound,", Assert.Single(missing.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void APasswordGoesToQrsAndIsNeverEchoedLoggedOrShown()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "dc-" + Guid.NewGuid().ToString("N")[..8];
        string first = "First-" + Guid.NewGuid().ToString("N");
        string second = "Second-" + Guid.NewGuid().ToString("N");
        _sandbox.Server.Requests.Clear();

        var seen = new StringBuilder();
        Run(session, seen, """
            param($name, $first, $second)
            $created = New-QrsDataConnection -Name $name -ConnectionString 'C:\Data' -Type folder -Credential $first -Verbose
            $created
            Set-QrsDataConnection $name -Credential $second -PassThru -Verbose
            Set-QrsDataConnection $name -ConnectionString 'D:\Data' -PassThru -Verbose
            Get-QrsDataConnection $name | Get-QrsDataConnection -Verbose
            Invoke-QrsRequest "/qrs/dataconnection/$($created.Id)" -Verbose
            Invoke-QrsRequest /qrs/dataconnection/full -Verbose
            New-QrsDataConnection -Name $name -ConnectionString 'C:\Data' -Type folder -Credential $first -WhatIf -Verbose
            """, name, Credential(first), Credential(second));
        _sandbox.Server.Faults.FailNext(1, 500, "/qrs/dataconnection", method: "POST", body: "The data connection could not be saved.");
        List<ErrorRecord> errors = Run(session, seen, """
            param($name, $first)
            New-QrsDataConnection -Name "$name-2" -ConnectionString 'C:\Data' -Type folder -Credential $first -Verbose
            """, name, Credential(first));
        seen.AppendLine(JsonSerializer.Serialize(_sandbox.Server.Requests.Snapshot()));

        ErrorRecord error = Assert.Single(errors);
        Assert.StartsWith("QrsServerError,", error.FullyQualifiedErrorId);
        Assert.Contains(name, seen.ToString());
        Assert.DoesNotContain(first, seen.ToString());
        Assert.DoesNotContain(second, seen.ToString());
        Assert.Equal(second, StoredPassword(name));
    }

    private string? StoredPassword(string name)
    {
        var store = _sandbox.Server.Store;
        return store.List(store.Schema.Family("dataconnection")!).Single(c => c.Value.GetProperty("name").GetString() == name).Value.GetProperty("password").GetString();
    }

    private static PSCredential Credential(string password) => new(@"CORP\svc_reports", new NetworkCredential(string.Empty, password).SecurePassword);

    /// <summary>Runs a script and writes everything it produced into <paramref name="seen"/>: objects with their properties, and every stream.</summary>
    private static List<ErrorRecord> Run(PowerShellSession session, StringBuilder seen, string script, params object[] arguments)
    {
        using PowerShell shell = PowerShell.Create(session.Runspace);
        shell.AddScript(script);
        foreach (object argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var errors = new List<ErrorRecord>();
        try
        {
            foreach (PSObject output in shell.Invoke())
            {
                Describe(seen, output, depth: 0);
            }
        }
        catch (RuntimeException exception)
        {
            errors.Add(exception.ErrorRecord);
        }

        errors.AddRange(shell.Streams.Error);
        foreach (ErrorRecord error in errors)
        {
            seen.AppendLine(error.ToString()).AppendLine(error.Exception.ToString()).AppendLine(error.ErrorDetails?.Message).AppendLine(error.ErrorDetails?.RecommendedAction)
                .AppendLine(error.TargetObject?.ToString()).AppendLine(PSObject.AsPSObject(error.Exception).Properties["Trace"]?.Value?.ToString());
        }

        foreach (object record in shell.Streams.Verbose.Cast<object>().Concat(shell.Streams.Warning).Concat(shell.Streams.Information).Concat(shell.Streams.Debug).Concat(shell.Streams.Progress))
        {
            seen.AppendLine(record.ToString());
        }

        return errors;
    }

    private static void Describe(StringBuilder seen, object? value, int depth)
    {
        seen.AppendLine(value?.ToString());
        if (depth > 3 || value is null or string || value.GetType().IsPrimitive)
        {
            return;
        }

        if (value is IEnumerable items and not PSObject)
        {
            foreach (object? item in items)
            {
                Describe(seen, item, depth + 1);
            }

            return;
        }

        foreach (PSPropertyInfo property in PSObject.AsPSObject(value).Properties.Where(p => p.IsGettable && p is not PSScriptProperty))
        {
            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            seen.Append(property.Name).Append('=');
            Describe(seen, propertyValue, depth + 1);
        }
    }
}
