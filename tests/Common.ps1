# Shared by the Pester tests: where the staged module is (build.ps1 passes it in QLIKQRS_MANIFEST).
$script:manifestPath = if ($env:QLIKQRS_MANIFEST) { $env:QLIKQRS_MANIFEST } else {
    $version = (Import-PowerShellDataFile -Path "$PSScriptRoot/../QlikQrs.psd1").ModuleVersion
    "$PSScriptRoot/../out/QlikQrs/$version/QlikQrs.psd1"
}

# Starts a sandbox QRS (dotnet run) on a free port with a seeded site; returns what the tests need of it.
function Start-QrsSandbox {
    param([string] $Seed = 'users=50,apps=20,streams=3,tasks=5,tags=5')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-pester-$([guid]::NewGuid())"
    $certs = Join-Path $work 'certs'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $process = Start-Process -FilePath dotnet -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-sandbox-$port.log") -ArgumentList @(
        'run', '--project', (Join-Path $PSScriptRoot '../src/QlikQrs.Sandbox'), '--', '--port', $port, '--certs', $certs, '--seed', $Seed)
    $deadline = (Get-Date).AddMinutes(2)
    do {
        Start-Sleep -Milliseconds 500
        $ready = (Test-Path (Join-Path $certs 'client_key.pem')) -and
            (Test-QrsConnection -ComputerName localhost -Port $port -CertificatePath $certs -MaxRetries 0 -ErrorAction SilentlyContinue).Success
    } until ($ready -or $process.HasExited -or (Get-Date) -gt $deadline)
    if (-not $ready) { throw 'The sandbox QRS did not start.' }
    [pscustomobject]@{ Process = $process; Port = $port; Certificates = $certs; Folder = $work }
}

function Stop-QrsSandbox {
    param($Sandbox)
    Get-QrsConnection | Disconnect-QrsServer
    if ($Sandbox -and -not $Sandbox.Process.HasExited) { Stop-Process -Id $Sandbox.Process.Id }
    if ($Sandbox) { Remove-Item -LiteralPath $Sandbox.Folder -Recurse -Force -ErrorAction SilentlyContinue }
}
