using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Hosting;
using QlikQrs.Tests.Harness;
using Xunit;

namespace QlikQrs.Tests.Connection;

public sealed class InvokeQrsRequestTests : IClassFixture<SandboxSession>, IDisposable
{
    private readonly SandboxSession _sandbox;

    public InvokeQrsRequestTests(SandboxSession sandbox) => _sandbox = sandbox;

    public void Dispose() => _sandbox.Server.Faults.Clear();

    [Fact]
    public void JsonArraysComeBackOneObjectAtATime()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("Invoke-QrsRequest /qrs/app/full | ForEach-Object { $_.GetType().Name + '|' + $_.name }").AssertNoErrors();

        Assert.Equal(_sandbox.Server.Store.Count(_sandbox.Server.Store.Schema.Family("app")!), result.Output.Count);
        Assert.All(result.Output, o => Assert.StartsWith("PSCustomObject|", (string)o.BaseObject));
    }

    [Fact]
    public void RawReturnsTheAnswersTextAsItCame()
    {
        using PowerShellSession session = _sandbox.Connected();
        PSObject raw = session.Run("Invoke-QrsRequest /qrs/about -Raw").AssertNoErrors().Single();

        Assert.IsType<string>(raw.BaseObject);
        Assert.StartsWith("{\"schemaPath\":\"About\"", (string)raw.BaseObject);
    }

    [Fact]
    public void BodiesFromAHashtableAPSCustomObjectAndAString()
    {
        using PowerShellSession session = _sandbox.Connected();
        string id = Guid.NewGuid().ToString("N");
        PowerShellResult result = session.Run("""
            (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = "hashtable-$($args[0])" }).name
            (Invoke-QrsRequest /qrs/tag -Method POST -Body ([pscustomobject]@{ name = "object-$($args[0])" })).name
            (Invoke-QrsRequest /qrs/tag -Method POST -Body ('{"name": "string-' + $args[0] + '"}')).name
            """, id).AssertNoErrors();

        Assert.Equal(new[] { $"hashtable-{id}", $"object-{id}", $"string-{id}" }, result.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void QuotesAndNonAsciiRoundTripThroughBodiesAndEncodedFilters()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = $"O'Brien é {Guid.NewGuid():N}";
        PowerShellResult result = session.Run("""
            $null = Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $args[0] }
            $filter = "name eq '" + $args[0].Replace("'", "\'") + "'"
            (Invoke-QrsRequest /qrs/tag/full -Query @{ filter = $filter }).name
            """, name).AssertNoErrors();

        Assert.Equal(name, result.Single().BaseObject);
    }

    [Fact]
    public void XrfkeyDiffersForEveryRequestAndMatchesItsHeader()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Requests.Clear();
        session.Run("1..20 | ForEach-Object { $null = Invoke-QrsRequest /qrs/about }").AssertNoErrors();
        ObservedRequest[] seen = _sandbox.Server.Requests.Snapshot().Where(r => r.Path == "/qrs/about").ToArray();

        Assert.True(seen.Length >= 20);
        Assert.All(seen, r => Assert.Matches("^[0-9a-zA-Z]{16}$", r.QueryXrfkey!));
        Assert.All(seen, r => Assert.Equal(r.QueryXrfkey, r.HeaderXrfkey));
        Assert.Equal(seen.Length, seen.Select(r => r.QueryXrfkey).Distinct().Count());
    }

    [Fact]
    public void TheSecurityContextIsSentWhenChosen()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Context AppAccess", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        _sandbox.Server.Requests.Clear();
        session.Run("$null = Invoke-QrsRequest /qrs/stream/count").AssertNoErrors();

        Assert.Contains(_sandbox.Server.Requests.Snapshot(), r => r.Path == "/qrs/stream/count" && r.Security == "Context=AppAccess" && r.User == "UserDirectory=INTERNAL; UserId=sa_api");
    }

    [Fact]
    public void AsUserChangesModifiedByUserNameForOneCall()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'as-' + [guid]::NewGuid() } -AsUser 'CORP\Zoë O''Brien').modifiedByUserName
            (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'plain-' + [guid]::NewGuid() }).modifiedByUserName
            """).AssertNoErrors();

        Assert.Equal(new[] { @"CORP\Zoë O'Brien", @"INTERNAL\sa_api" }, result.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void AConflictIsAQrsConflictErrorThatSaysToGetTheEntityAgain()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $tag = Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'conflict-' + [guid]::NewGuid() }
            $first = Invoke-QrsRequest "/qrs/tag/$($tag.id)" -Method PUT -Body @{ id = $tag.id; modifiedDate = $tag.modifiedDate; name = 'first' }
            Invoke-QrsRequest "/qrs/tag/$($tag.id)" -Method PUT -Body @{ id = $tag.id; modifiedDate = $tag.modifiedDate; name = 'second' }
            """);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsConflict,QlikQrs.Commands.InvokeQrsRequestCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Get it again", error.Exception.Message);
        Assert.Equal("Get it again and apply the change to the fresh copy.", error.ErrorDetails.RecommendedAction);
        Assert.Contains("409", (string)((dynamic)error.Exception).Trace);
        Assert.Contains("PUT", (string)((dynamic)error.Exception).Trace);
        Assert.Equal(409, ((dynamic)error.Exception).StatusCode);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(429)]
    public void TransientStatusesOnAGetAreRetried(int status)
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.FailNext(2, status, "/qrs/stream", TimeSpan.FromMilliseconds(100));

        Assert.NotEmpty(session.Run("Invoke-QrsRequest /qrs/stream").AssertNoErrors().Output);
    }

    [Fact]
    public void APostIsNotRetriedUnlessAsked()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.FailNext(1, 503, "/qrs/tag", method: "POST");
        PowerShellResult once = session.Run("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = 'no-retry-' + [guid]::NewGuid() }");
        _sandbox.Server.Faults.FailNext(1, 503, "/qrs/tag", method: "POST");
        PowerShellResult retried = session.Run("Invoke-QrsRequest /qrs/tag -Method POST -AllowRetry -Body @{ name = 'retry-' + [guid]::NewGuid() }");

        Assert.Equal("QrsServerError,QlikQrs.Commands.InvokeQrsRequestCommand", Assert.Single(once.Errors).FullyQualifiedErrorId);
        retried.AssertNoErrors();
        Assert.Single(retried.Output);
    }

    [Fact]
    public void MoreFailuresThanRetriesSurfaceTheLastStatus()
    {
        using PowerShellSession session = _sandbox.Connected();
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -MaxRetries 1", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        _sandbox.Server.Faults.FailNext(3, 502, "/qrs/user");

        Assert.Equal("QrsServerError,QlikQrs.Commands.InvokeQrsRequestCommand", Assert.Single(session.Run("Invoke-QrsRequest /qrs/user").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void ADroppedConnectionOnAGetIsRetried()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.DropConnectionNext(2, "/qrs/tag/count");

        Assert.Single(session.Run("Invoke-QrsRequest /qrs/tag/count").AssertNoErrors().Output);
    }

    [Fact]
    public void AnAnswerThatBreaksOffIsQrsResponseIncomplete()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.TruncateBodyNext(1, "/qrs/user/full");
        PowerShellResult result = session.Run("Invoke-QrsRequest /qrs/user/full");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("QrsResponseIncomplete,QlikQrs.Commands.InvokeQrsRequestCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Run the command again", error.Exception.Message);
    }

    [Fact]
    public async Task StoppingASlowRequestReturnsPromptly()
    {
        using PowerShellSession session = _sandbox.Connected();
        _sandbox.Server.Faults.Latency = TimeSpan.FromSeconds(60);
        using PowerShell shell = PowerShell.Create(session.Runspace);
        shell.AddScript("Invoke-QrsRequest /qrs/about");
        IAsyncResult running = shell.BeginInvoke();
        await Task.Delay(500);

        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();
        _sandbox.Server.Faults.Latency = TimeSpan.Zero;

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        // The sandbox would have answered after 60 s; Stop returning long before shows the request was cancelled.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Stop took {clock.Elapsed}.");
    }

    [Fact]
    public void ATimeoutIsQrsTimeout()
    {
        using PowerShellSession session = _sandbox.Connected();
        // Generous enough for the connect itself on a busy machine; the latency below is far longer.
        session.Run("Connect-QrsServer -ComputerName localhost -Port $args[0] -CertificatePath $args[1] -Timeout 5 -MaxRetries 0", _sandbox.Server.Port, _sandbox.CertificatesFolder).AssertNoErrors();
        _sandbox.Server.Faults.Latency = TimeSpan.FromSeconds(30);
        PowerShellResult result = session.Run("Invoke-QrsRequest /qrs/about");
        _sandbox.Server.Faults.Latency = TimeSpan.Zero;

        Assert.Equal("QrsTimeout,QlikQrs.Commands.InvokeQrsRequestCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void AnExportDownloadsToAFileAndABrokenDownloadLeavesNone()
    {
        using PowerShellSession session = _sandbox.Connected();
        string folder = Directory.CreateTempSubdirectory("qlikqrs-download-").FullName;
        string upload = Path.Combine(folder, "app.qvf");
        var content = new byte[200_000];
        new Random(5).NextBytes(content);
        File.WriteAllBytes(upload, content);

        PowerShellResult whole = session.Run("""
            $app = Invoke-QrsRequest /qrs/app/upload -Method POST -Query @{ name = 'Download me' } -InFile $args[0] -ContentType 'application/vnd.qlik.sense.app'
            $export = Invoke-QrsRequest "/qrs/app/$($app.id)/export/$([guid]::NewGuid())" -Method POST
            (Invoke-QrsRequest $export.downloadPath -OutFile $args[1]).Length
            $app.id
            """, upload, Path.Combine(folder, "whole.qvf")).AssertNoErrors();
        Assert.Equal(content.Length, (long)whole.Output[0].BaseObject);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder, "whole.qvf")));

        _sandbox.Server.Faults.TruncateBodyNext(1, "/tempcontent/");
        PowerShellResult broken = session.Run("""
            $export = Invoke-QrsRequest "/qrs/app/$($args[0])/export/$([guid]::NewGuid())" -Method POST
            Invoke-QrsRequest $export.downloadPath -OutFile $args[1]
            """, whole.Output[1].BaseObject, Path.Combine(folder, "broken.qvf"));

        Assert.NotEmpty(broken.Errors);
        Assert.Equal(new[] { "app.qvf", "whole.qvf" }, Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void WhatIfSendsNothing()
    {
        using PowerShellSession session = _sandbox.Connected();
        string name = "whatif-" + Guid.NewGuid();
        session.Run("Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $args[0] } -WhatIf", name).AssertNoErrors();

        Assert.Equal(0, (int)session.Run("(Invoke-QrsRequest /qrs/tag/count -Query @{ filter = \"name eq '$($args[0])'\" }).value", name).AssertNoErrors().Single().BaseObject);
    }

    [Fact]
    public void TwoHundredRequestsFromEightThreadsOnOneConnection()
    {
        using PowerShellSession session = _sandbox.Connected();
        PowerShellResult result = session.Run("""
            $connection = Get-QrsConnection -Default
            $manifest = $args[0]
            1..200 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:manifest
                (Invoke-QrsRequest /qrs/about -Connection $using:connection).schemaPath
            }
            """, ModuleLocation.ManifestPath).AssertNoErrors();

        Assert.Equal(200, result.Output.Count(o => (string)o.BaseObject == "About"));
    }
}
