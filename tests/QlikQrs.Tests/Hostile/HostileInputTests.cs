using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using QlikQrs.Tests.Connection;
using QlikQrs.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace QlikQrs.Tests.Hostile;

/// <summary>
/// Every parameter of every exported cmdlet, read from the command metadata (a new cmdlet is covered the day it
/// lands), given the hostile values that fit its type. Each call must end in a parameter-binding error, in a Qrs
/// error that says which parameter or value was wrong without .NET type names or stacks, or in success; and the
/// session must still work afterwards. Changes run with -WhatIf, so the sandbox's seeded data stays as it was.
/// </summary>
public sealed class HostileInputTests : IClassFixture<SandboxSession>
{
    private readonly SandboxSession _sandbox;
    private readonly ITestOutputHelper _output;

    public HostileInputTests(SandboxSession sandbox, ITestOutputHelper output)
    {
        _sandbox = sandbox;
        _output = output;
    }

    [Fact]
    public void EveryParameterOfEveryCmdletRefusesHostileValuesClearly()
    {
        // Deep enough that the traversal values (six levels up) still land inside the test's own folder.
        string work = Directory.CreateDirectory(Path.Combine(_sandbox.Folder, "hostile", "a", "b", "c", "d", "e", "f", "g")).FullName;
        using var session = new PowerShellSession();
        var probe = new HostileProbe(session, _sandbox, work);

        var failures = new List<string>();
        var counts = new List<string>();
        foreach (CmdletInfo cmdlet in probe.Cmdlets())
        {
            int tried = 0, accepted = 0, refused = 0;
            foreach (HostileCase call in probe.CasesFor(cmdlet))
            {
                HostileVerdict verdict = probe.Run(call);
                tried++;
                switch (verdict.Outcome)
                {
                    case HostileOutcome.Accepted:
                        accepted++;
                        break;
                    case HostileOutcome.Refused:
                        refused++;
                        break;
                    default:
                        failures.Add($"{cmdlet.Name} -{call.Parameter} <{call.Label}>: {verdict.Detail}");
                        break;
                }
            }

            string? broken = probe.StillWorks();
            if (broken is not null)
            {
                failures.Add($"{cmdlet.Name}: the session no longer works after its hostile calls: {broken}");
            }

            counts.Add($"{cmdlet.Name,-24} tried {tried,4}  clear {accepted + refused,4}  (refused {refused}, accepted {accepted})");
        }

        foreach (string line in counts)
        {
            _output.WriteLine(line);
        }

        foreach (string failure in failures)
        {
            _output.WriteLine("FAILED " + failure);
        }

        Assert.True(counts.Count >= 20, $"Only {counts.Count} cmdlets were found; the module did not load its commands.");
        Assert.True(failures.Count == 0, $"{failures.Count} hostile calls did not end clearly:\n" + string.Join("\n", failures.Take(60)));
    }

    /// <summary>What users tried, and the error each now gets: its id, and words that say what was wrong.</summary>
    [Theory]
    [InlineData("Connect-QrsServer -ComputerName 'bad host' -CertificatePath $certs", "QrsInvalidComputerName", "-ComputerName 'bad host' is not a host name or IP address: it has white space")]
    [InlineData("Connect-QrsServer -ComputerName 'localhost:44201' -CertificatePath $certs", "QrsInvalidComputerName", "-ComputerName localhost -Port 44201")]
    [InlineData("Connect-QrsServer -ComputerName 'https://qlik/' -CertificatePath $certs", "QrsInvalidComputerName", "is a URL, not a host name")]
    [InlineData("Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -VirtualProxy '?#'", "QrsInvalidVirtualProxy", "-VirtualProxy '?#' is not a virtual proxy prefix: it has '?'")]
    [InlineData("Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -VirtualProxy '../..'", "QrsInvalidVirtualProxy", "-VirtualProxy '../..' is not a virtual proxy prefix")]
    [InlineData("Connect-QrsServer -ComputerName localhost -Port $port -VirtualProxy hdr -HeaderName 'Bad:Name' -HeaderValue jdoe", "QrsInvalidHeaderName", "-HeaderName 'Bad:Name' is not an HTTP header name: it has ':'")]
    [InlineData("Connect-QrsServer -ComputerName localhost -Port $port -VirtualProxy jwt -Jwt \"e30.e30.c2ln`r`nX-Evil: 1\"", "QrsInvalidJwt", "-Jwt is not a JSON Web Token: it has a line break")]
    [InlineData("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'x' } -ContentType 'not a type' -WhatIf", "QrsInvalidContentType", "-ContentType 'not a type' is not a media type")]
    [InlineData("Invoke-QrsRequest 'file:///etc/passwd'", "QrsForeignUrl", "'file:///etc/passwd' is not on the connection's site")]
    [InlineData("Invoke-QrsRequest '/qrs/../../etc/passwd'", "QrsInvalidPath", "it climbs with '..'")]
    [InlineData("Invoke-QrsRequest /qrs/about -OutFile \"a`0b.json\"", "QrsInvalidFilePath", "-OutFile 'a?b.json' is not a file path: it has a NUL character")]
    [InlineData("Invoke-QrsRequest /qrs/about -OutFile 'file:///tmp/about.json'", "QrsInvalidFilePath", "-OutFile 'file:///tmp/about.json' is not a file path")]
    [InlineData("Get-QrsTaskExecution 'Reload task 0001' -ScriptLog -OutFile 'https://example.com/log.txt'", "QrsInvalidFilePath", "-OutFile 'https://example.com/log.txt' is not a file path")]
    [InlineData("Import-QrsApp -Path '*?[]'", "QrsInvalidFilePath", "-Path '*?[]' is not a file pattern")]
    [InlineData("New-QrsTaskSchedule -Task @($null) -Frequency Daily -WhatIf", "ParameterArgumentValidationError", "Task")]
    [InlineData("Invoke-QrsRequest /qrs/about -OutFile $work", "QrsOutFileInvalid", "is a folder")]
    [InlineData("Invoke-QrsRequest /qrs/about -OutFile ([System.IO.Path]::Combine($work, 'missing', 'about.json'))", "QrsOutFileInvalid", "does not exist")]
    [InlineData("$f = [System.IO.Path]::Combine($work, 'kept.json'); [System.IO.File]::WriteAllText($f, '{}'); [System.IO.File]::SetAttributes($f, 'ReadOnly'); Invoke-QrsRequest /qrs/about -OutFile $f", "QrsOutFileInvalid", "is read-only")]
    [InlineData("Invoke-QrsRequest /qrs/tag -Method POST -InFile $work -WhatIf", "QrsInFileNotFound", "is a folder, not a file")]
    [InlineData("Invoke-QrsRequest /qrs/tag -Method POST -Body ([System.IO.DirectoryInfo]::new($work)) -WhatIf", "QrsBodyInvalid", "-Body holds a file or folder object")]
    [InlineData("$h = @{ name = 'loop' }; $h.self = $h; Invoke-QrsRequest /qrs/tag -Method POST -Body $h -WhatIf", "QrsBodyInvalid", "-Body holds itself")]
    [InlineData("$h = @{ name = 'loop' }; $h.self = $h; New-QrsEntity tag $h -WhatIf", "QrsBodyInvalid", "-InputObject holds itself")]
    [InlineData("$h = @{ name = 'loop' }; $h.self = $h; @(Get-QrsEntity tag -Full)[0] | Set-QrsEntity -Property @{ name = $h } -WhatIf:$false", "QrsBodyInvalid", "-Property 'name' holds itself")]
    [InlineData("Invoke-QrsRequest /qrs/tag -Query @{ filter = @(\"name eq 'a'\", \"name eq 'b'\") }", "QrsInvalidQuery", "'filter' has a list of values; QRS reads one value per name")]
    [InlineData("New-QrsFilter @{ name = @{ a = 1 } }", "QrsInvalidFilter", "'name' has a hashtable as its value")]
    [InlineData("New-QrsFilter @{ name = [pscustomobject]@{ a = 1 } }", "QrsInvalidFilter", "'name' has an object as its value")]
    [InlineData("New-QrsFilter @{ name = { 'x' } }", "QrsInvalidFilter", "'name' has a script block as its value")]
    [InlineData("New-QrsFilter @{ name = @('a', @(1, 2)) }", "QrsInvalidFilter", "'name' has a nested list in its list of values")]
    [InlineData("New-QrsFilter @{ '' = 1 }", "QrsInvalidFilter", "-Where has an empty property name")]
    [InlineData("New-QrsFilter @{ name = @() }", "QrsInvalidFilter", "'name' has an empty list of values")]
    [InlineData("Get-QrsEntity tag -Where @{ name = @{ a = 1 } }", "QrsInvalidFilter", "'name' has a hashtable as its value")]
    [InlineData("Get-QrsEntity tag -OrderBy 'name; drop'", "QrsInvalidOrderBy", "-OrderBy 'name; drop' is not an order QRS reads")]
    [InlineData("Get-QrsEntity tag -Name ('a' * 70000)", "QrsUrlTooLong", "characters long")]
    public void AHostileValueGetsAClearQrsError(string script, string errorId, string text)
    {
        using PowerShellSession session = _sandbox.Connected();
        string work = Directory.CreateDirectory(Path.Combine(_sandbox.Folder, "clear-" + Guid.NewGuid().ToString("N"))).FullName;
        PowerShellResult result = session.Run(
            "param($certs, $port, $work) $null = $ExecutionContext.SessionState.Path.SetLocation([WildcardPattern]::Escape($work))\n" + script,
            _sandbox.CertificatesFolder, _sandbox.Server.Port, work);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(text, error.Exception.Message);
        Assert.DoesNotContain("X-Evil", error.Exception.Message);
        session.Run("Invoke-QrsRequest /qrs/about").AssertNoErrors();
    }

    [Fact]
    public void ConnectionNamesAreMatchedWithStarAndQuestionMarkOnly()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name '[test] site'", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();

        Assert.Empty(session.Run("Get-QrsConnection -Name '['").AssertNoErrors().Output);
        Assert.Equal("[test] site", session.Run("(Get-QrsConnection -Name '[test]*').Name").AssertNoErrors().Single().BaseObject);
        session.Run("Disconnect-QrsServer -Name '[test] site'").AssertNoErrors();
        Assert.Empty(session.Run("Get-QrsConnection -Name '[test]*'").AssertNoErrors().Output);
    }

    [Fact]
    public void DisconnectingNullIsABindingErrorAndTheSessionGoesOn()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Disconnect-QrsServer -Connection $null");

        Assert.Equal("ParameterArgumentValidationError", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
        session.Run("Invoke-QrsRequest /qrs/about").AssertNoErrors();
    }

    [Fact]
    public void ARetryAfterLongerThanTheTimeoutIsSaidAsSuchAndNotWaitedFor()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Timeout 5", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        _sandbox.Server.Requests.Clear();
        _sandbox.Server.Faults.FailNext(1, 503, "/qrs/about", TimeSpan.FromSeconds(30));
        try
        {
            ErrorRecord error = Assert.Single(session.Run("Invoke-QrsRequest /qrs/about").Errors);

            Assert.Equal("QrsServerError", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("asked to try again in 30 seconds, longer than the connection's -Timeout of 5 seconds", error.Exception.Message);
            Assert.Single(_sandbox.Server.Requests.Snapshot(), r => r.Path == "/qrs/about");
        }
        finally
        {
            _sandbox.Server.Faults.Clear();
        }
    }
}

/// <summary>One call: a cmdlet, the parameters that set it up, and the hostile value given to one parameter.</summary>
public sealed record HostileCase(string Cmdlet, string Parameter, string Label, object? Value, IDictionary Setup, bool WhatIf, string? BaselineErrorId);

/// <summary>Builds the calls from the command metadata and runs them in one session connected to the sandbox.</summary>
internal sealed class HostileProbe
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    // Above the session's -Timeout (15 s), so that a call that waits for QRS ends on its own first.
    private static readonly TimeSpan s_longestCall = TimeSpan.FromSeconds(20);

    private readonly PowerShellSession _session;
    private readonly SandboxSession _sandbox;
    private readonly string _work;
    private readonly Hashtable _made;
    private readonly PSObject _live;
    private readonly Dictionary<string, object?> _entities = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string, string), string?> _baselines = new();

    public HostileProbe(PowerShellSession session, SandboxSession sandbox, string work)
    {
        _session = session;
        _sandbox = sandbox;
        _work = work;
        Connect();
        _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation([System.Management.Automation.WildcardPattern]::Escape($args[0]))", work).AssertNoErrors();
        _live = _session.Run("Get-QrsConnection -Default").AssertNoErrors().Single();
        PowerShellResult made = _session.Run(HostileValues.RunspaceMade, _live, sandbox.CertificatesFolder, work).AssertNoErrors();
        _made = (Hashtable)made.Single().BaseObject;
        File.WriteAllBytes(Path.Combine(work, "probe.qvf"), new byte[] { 1, 2, 3 });
    }

    public IEnumerable<CmdletInfo> Cmdlets() =>
        _session.Run("Get-Command -Module QlikQrs -CommandType Cmdlet").Output.Select(o => (CmdletInfo)o.BaseObject).OrderBy(c => c.Name, StringComparer.Ordinal);

    /// <summary>Each parameter of <paramref name="cmdlet"/>, in one parameter set that has it, with each value that fits its type.</summary>
    public IEnumerable<HostileCase> CasesFor(CmdletInfo cmdlet)
    {
        bool whatIf = cmdlet.Parameters.ContainsKey("WhatIf");
        foreach (ParameterMetadata parameter in cmdlet.Parameters.Values.Where(p => !s_skipped.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            CommandParameterSetInfo set = cmdlet.ParameterSets.Where(s => s.Parameters.Any(p => p.Name == parameter.Name))
                .OrderByDescending(s => s.IsDefault).First();
            IDictionary? setup = Setup(cmdlet, set, parameter.Name);
            if (setup is null)
            {
                continue;
            }

            string? baseline = Baseline(cmdlet, set, parameter.Name, setup, whatIf);
            foreach ((string label, object? value) in ValuesFor(parameter.ParameterType))
            {
                yield return new HostileCase(cmdlet.Name, parameter.Name, label, value, setup, whatIf, baseline);
            }
        }
    }

    public HostileVerdict Run(HostileCase call)
    {
        using PowerShell shell = PowerShell.Create(_session.Runspace);
        shell.AddCommand(call.Cmdlet).AddParameters(call.Setup).AddParameter(call.Parameter, call.Value);
        if (call.WhatIf)
        {
            shell.AddParameter("WhatIf");
        }

        var errors = new List<ErrorRecord>();
        // On a thread of its own, so that what escapes the engine (not a RuntimeException) is this call's failure.
        Task<Collection<PSObject>> running = Task.Run(() => shell.Invoke());
        try
        {
            if (!running.Wait(s_longestCall))
            {
                shell.Stop();
                return new(HostileOutcome.Failed, $"still running after {s_longestCall.TotalSeconds:0} seconds");
            }
        }
        catch (AggregateException exception) when (exception.InnerException is RuntimeException terminating)
        {
            // The record of a thrown error wraps the exception; binding errors are told by the exception itself.
            errors.Add(terminating is ParameterBindingException binding ? new ErrorRecord(binding, binding.ErrorId, ErrorCategory.InvalidArgument, null) : terminating.ErrorRecord);
        }
        catch (AggregateException exception)
        {
            return new(HostileOutcome.Failed, $"threw {exception.InnerException?.GetType().Name}: {exception.InnerException?.Message}");
        }

        errors.InsertRange(0, shell.Streams.Error);
        return HostileVerdict.Judge(call.Parameter, call.Value, errors.ToArray(), call.BaselineErrorId);
    }

    /// <summary>Null when the session still answers through its default connection; what went wrong otherwise.</summary>
    public string? StillWorks()
    {
        PowerShellResult about = _session.Run("(Invoke-QrsRequest /qrs/about).buildVersion");
        if (about.Errors.Count > 0 || about.Output.Count != 1)
        {
            return about.Errors.Count > 0 ? about.Errors[0].ToString() : $"{about.Output.Count} answers to /qrs/about";
        }

        // A hostile Connect-QrsServer that was fine (a new -Name) became the default; the next cmdlet starts from ours.
        _session.Run("Get-QrsConnection | Where-Object Name -ne 'hostile-live' | Disconnect-QrsServer").AssertNoErrors();
        return null;
    }

    private void Connect() =>
        _session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Name hostile-live -Timeout 15",
            _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();

    /// <summary>The error the call ends in with its setup alone, so that an error the hostile value did not cause is not held against it.</summary>
    private string? Baseline(CmdletInfo cmdlet, CommandParameterSetInfo set, string parameter, IDictionary setup, bool whatIf)
    {
        if (_baselines.TryGetValue((cmdlet.Name, set.Name + "|" + parameter), out string? known))
        {
            return known;
        }

        using PowerShell shell = PowerShell.Create(_session.Runspace);
        shell.AddCommand(cmdlet.Name).AddParameters(setup);
        if (set.Parameters.First(p => p.Name == parameter).IsMandatory && Default(cmdlet, parameter, set.Parameters.First(p => p.Name == parameter).ParameterType) is { } given)
        {
            shell.AddParameter(parameter, given.Value);
        }

        if (whatIf)
        {
            shell.AddParameter("WhatIf");
        }

        string? id;
        try
        {
            shell.Invoke();
            id = shell.Streams.Error.FirstOrDefault()?.FullyQualifiedErrorId.Split(',')[0];
        }
        catch (RuntimeException exception)
        {
            id = exception.ErrorRecord.FullyQualifiedErrorId.Split(',')[0];
        }

        // Only a Qrs error excuses; anything else the hostile calls must show on their own merit.
        id = id is not null && id.StartsWith("Qrs", StringComparison.Ordinal) ? id : null;
        _baselines[(cmdlet.Name, set.Name + "|" + parameter)] = id;
        return id;
    }

    /// <summary>The set's mandatory parameters (and the site's address where the set has one), but <paramref name="under"/>.</summary>
    private IDictionary? Setup(CmdletInfo cmdlet, CommandParameterSetInfo set, string under)
    {
        var setup = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (CommandParameterInfo other in set.Parameters.Where(p => p.Name != under && !s_skipped.Contains(p.Name)))
        {
            bool context = other.Name is "ComputerName" or "Port";
            if (!other.IsMandatory && !context)
            {
                continue;
            }

            if (Default(cmdlet, other.Name, other.ParameterType) is not { } given)
            {
                if (other.IsMandatory)
                {
                    return null;
                }

                continue;
            }

            setup[other.Name] = given.Value;
        }

        return setup;
    }

    /// <summary>A sensible value for a parameter that is not under test: by name where a cmdlet needs a real one, else by type.</summary>
    private Given? Default(CmdletInfo cmdlet, string parameter, Type type)
    {
        string certificates = _sandbox.CertificatesFolder;
        object? byName = (cmdlet.Name, parameter) switch
        {
            (_, "ComputerName") => "localhost",
            (_, "Port") => _sandbox.Server.Port,
            (_, "Type") => "tag",
            ("Invoke-QrsRequest", "Path") => "/qrs/about",
            ("Import-QrsCertificate", "Path") => certificates,
            ("Import-QrsCertificate", "CertificatePath") => Path.Combine(certificates, "client.pem"),
            (_, "CertificatePath") => certificates,
            ("Import-QrsApp", "Path") => Path.Combine(_work, "probe.qvf"),
            (_, "Path") => _work,
            (_, "HeaderName") => "X-Test-User",
            (_, "Jwt") => "e30.e30.c2lnbmF0dXJl",
            _ => null,
        };
        if (byName is not null)
        {
            return new Given(byName);
        }

        Type element = type.IsArray ? type.GetElementType()! : type;
        object? value = element switch
        {
            _ when element == typeof(string) => "hostile-probe",
            _ when element == typeof(SwitchParameter) || element == typeof(bool) => true,
            _ when element == typeof(int) || element == typeof(long) => 1,
            _ when element == typeof(Guid) => IdOf(Entity("tag")),
            _ when element == typeof(System.Security.SecureString) => new System.Security.SecureString(),
            _ when element == typeof(PSCredential) => new PSCredential("hostile", new System.Security.SecureString()),
            _ when element.IsEnum => Enum.GetValues(element).GetValue(0),
            _ when typeof(IDictionary).IsAssignableFrom(element) => new Hashtable { ["name"] = "hostile-probe" },
            _ when element.Name == "QrsConnection" => _live,
            _ when element.Name == "QrsEntity" => Entity("tag"),
            _ when IdentityFamily(element) is string family => Entity(family),
            _ when element == typeof(object) => new Hashtable { ["name"] = "hostile-probe" },
            _ => null,
        };
        return value is null ? null : new Given(value);
    }

    /// <summary>The hostile values that fit a parameter of <paramref name="type"/>.</summary>
    private IEnumerable<(string Label, object? Value)> ValuesFor(Type type)
    {
        Type element = type.IsArray ? type.GetElementType()! : type;
        IEnumerable<(string, object?)> values = element switch
        {
            _ when element == typeof(string) => HostileValues.Text,
            _ when element == typeof(SwitchParameter) || element == typeof(bool) => HostileValues.Switches,
            _ when element.IsPrimitive || element == typeof(decimal) => HostileValues.Numbers,
            _ when element == typeof(Guid) => HostileValues.Guids,
            _ when element == typeof(System.Security.SecureString) => HostileValues.Secure,
            _ when element.IsEnum => new (string, object?)[] { ("null", null), ("unknown name", "Nope"), ("out of range", 99), ("negative", -1), ("empty", string.Empty) },
            _ when typeof(IDictionary).IsAssignableFrom(element) => HostileValues.FromRunspace(_made, "Dictionary"),
            _ when element.Name == "QrsConnection" => HostileValues.FromRunspace(_made, "Connection"),
            _ when element.Name is "QrsCertificate" or "X509Certificate2" => HostileValues.FromRunspace(_made, "Certificate"),
            _ when element.Name == "QrsEntity" => HostileValues.FromRunspace(_made, "Entity"),
            _ when IdentityFamily(element) is not null => HostileValues.Text.Concat(HostileValues.Guids.Skip(1)).Concat(HostileValues.FromRunspace(_made, "Identity")),
            _ => HostileValues.FromRunspace(_made, "Object"),
        };
        return type.IsArray ? values.Concat(HostileValues.Arrays) : values;
    }

    /// <summary>The entity family an identity parameter type (AppIdentity, ...) names, by its full entity type.</summary>
    private static string? IdentityFamily(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition().Name == "QrsIdentity`2")
            {
                return t.GetGenericArguments()[0].Name;
            }
        }

        return null;
    }

    /// <summary>An entity of <paramref name="family"/> from the sandbox, or a name when the family has none.</summary>
    private object? Entity(string family)
    {
        if (!_entities.TryGetValue(family, out object? entity))
        {
            entity = _session.Run("@(Get-QrsEntity -Type $args[0] -Full)[0]", family).Output.FirstOrDefault() ?? (object)"hostile-probe";
            _entities[family] = entity;
        }

        return entity;
    }

    private static object? IdOf(object? entity) => entity is PSObject wrapped ? wrapped.Properties["Id"]?.Value : null;

    private sealed record Given(object? Value);
}
