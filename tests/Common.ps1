# Shared by the Pester suites: where the staged module and the built sandbox QRS are. The xunit runner
# (tests/QlikQrs.Pester.Tests) passes both in QLIKQRS_MANIFEST and QLIKQRS_SANDBOX; run by hand after a build, the
# suites find them in the repository. Valid in Windows PowerShell 5.1 and PowerShell 7.
$script:manifestPath = if ($env:QLIKQRS_MANIFEST) { $env:QLIKQRS_MANIFEST } else {
    $version = (Import-PowerShellDataFile -Path "$PSScriptRoot/../QlikQrs.psd1").ModuleVersion
    "$PSScriptRoot/../out/QlikQrs/$version/QlikQrs.psd1"
}

# The sandbox's assembly, run with `dotnet <assembly>` so that the sandbox is the process started (no `dotnet run`
# parent in between) and no apphost has to find the runtime. Without QLIKQRS_SANDBOX: the newest configuration built.
function Get-QrsSandboxAssembly {
    if ($env:QLIKQRS_SANDBOX) { return $env:QLIKQRS_SANDBOX }
    $built = Get-ChildItem -Path "$PSScriptRoot/../src/QlikQrs.Sandbox/bin/*/net10.0/QlikQrs.Sandbox.dll" -ErrorAction SilentlyContinue |
        Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $built) { throw 'The sandbox QRS is not built: run `dotnet build` in the repository first.' }
    $built.FullName
}

# Mints a QMC-shaped certificate set with the built sandbox (the tests' fixtures; none is committed).
function New-QrsSandboxCertificate {
    param([Parameter(Mandatory)] [string] $Out, [Parameter(Mandatory)] [string] $HostName, [string] $Password)
    $arguments = @((Get-QrsSandboxAssembly), 'certificates', '--out', $Out, '--hostname', $HostName)
    if ($Password) { $arguments += @('--password', $Password) }
    $output = & dotnet @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Minting certificates failed with exit code ${LASTEXITCODE}: $output" }
}

# Starts the built sandbox QRS on a free port with a seeded site; returns what the tests need of it. It runs with
# --stop-on-stdin-close, so closing its standard input stops it cleanly, and so does this process ending.
function Start-QrsSandbox {
    param([string] $Seed = 'users=50,apps=20,streams=3,tasks=5,tags=5')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-pester-$([guid]::NewGuid())"
    $certs = Join-Path $work 'certs'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    # One quoted string rather than ArgumentList, which .NET Framework (Windows PowerShell 5.1) lacks.
    $start.Arguments = (@((Get-QrsSandboxAssembly), '--port', $port, '--certs', $certs, '--seed', $Seed, '--stop-on-stdin-close') |
        ForEach-Object { '"{0}"' -f $_ }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    if ($env:QLIKQRS_SANDBOX_PROCESSES) { Add-Content -LiteralPath $env:QLIKQRS_SANDBOX_PROCESSES -Value $process.Id }
    $errors = $process.StandardError.ReadToEndAsync()

    # The sandbox says where it listens once the seeded site is ready.
    $deadline = [DateTime]::UtcNow.AddMinutes(2)
    $ready = $false
    while (-not $ready) {
        $remaining = $deadline - [DateTime]::UtcNow
        if ($remaining -le [TimeSpan]::Zero) { break }
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait($remaining) -or $null -eq $line.Result) { break }
        $ready = $line.Result -match 'listening on'
    }
    if (-not $ready) {
        if (-not $process.HasExited) { $process.Kill() }
        $null = $errors.Wait(5000)
        throw "The sandbox QRS did not start: $($errors.Result)"
    }

    # Drained in the background, so that the sandbox never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; Port = $port; Certificates = $certs; Folder = $work; Errors = $errors }
}

# Stops the sandbox by closing its standard input and waits for it; kills it only when it does not stop, and then fails.
function Stop-QrsSandbox {
    param($Sandbox)
    Get-QrsConnection | Disconnect-QrsServer
    if (-not $Sandbox) { return }
    $process = $Sandbox.Process
    try {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(10000)) {
            $process.Kill()
            throw "The sandbox QRS (process $($process.Id)) did not stop within 10 seconds of its standard input closing; it was killed."
        }
        if ($process.ExitCode -ne 0) {
            $null = $Sandbox.Errors.Wait(5000)
            throw "The sandbox QRS stopped with exit code $($process.ExitCode): $($Sandbox.Errors.Result)"
        }
    }
    finally {
        $process.Dispose()
        Remove-Item -LiteralPath $Sandbox.Folder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
