# Shared by the Pester suites: where the staged module and the built sandbox QRS are. The xunit runner
# (tests/QlikQrs.Pester.Tests) passes both in QLIKQRS_MANIFEST and QLIKQRS_SANDBOX; run by hand after a build, the
# suites find them in the repository. Valid in Windows PowerShell 5.1 and PowerShell 7.
$script:manifestPath = if ($env:QLIKQRS_MANIFEST) { $env:QLIKQRS_MANIFEST } else {
    $version = (Import-PowerShellDataFile -Path "$PSScriptRoot/../QlikQrs.psd1").ModuleVersion
    "$PSScriptRoot/../out/QlikQrs/$version/QlikQrs.psd1"
}
. "$PSScriptRoot/../tools/SandboxProcess.ps1"

# The built sandbox's assembly; without QLIKQRS_SANDBOX, that of the configuration built last.
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

# Starts the built sandbox QRS on a free port with a seeded site; returns what the tests need of it.
function Start-QrsSandbox {
    param([string] $Seed = 'users=50,apps=20,streams=3,tasks=5,tags=5')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-pester-$([guid]::NewGuid())"
    $certs = Join-Path $work 'certs'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $sandbox = Start-SandboxProcess -Assembly (Get-QrsSandboxAssembly) -Arguments '--port', $port, '--certs', $certs, '--seed', $Seed
    # The xunit runner checks that every sandbox a suite started has stopped when the suite ends.
    if ($env:QLIKQRS_SANDBOX_PROCESSES) { Add-Content -LiteralPath $env:QLIKQRS_SANDBOX_PROCESSES -Value $sandbox.Process.Id }
    [pscustomobject]@{ Process = $sandbox.Process; Port = $port; Certificates = $certs; Folder = $work; Errors = $sandbox.Errors }
}

# Disconnects, stops the sandbox by its own process (cleanly, or fails) and removes the suite's certificates.
function Stop-QrsSandbox {
    param($Sandbox)
    Get-QrsConnection | Disconnect-QrsServer
    if (-not $Sandbox) { return }
    try {
        Stop-SandboxProcess -Sandbox $Sandbox
    }
    finally {
        Remove-Item -LiteralPath $Sandbox.Folder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
