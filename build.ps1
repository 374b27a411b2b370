<#
.SYNOPSIS
Builds, tests, documents and packages QlikQrs.

.DESCRIPTION
Runs on PowerShell 7.2+ and Windows PowerShell 5.1 with the .NET SDK named in global.json on the PATH. The PowerShell
modules it needs (Pester, Microsoft.PowerShell.PlatyPS) are installed for the current user, at the versions pinned in
tools/BuildRequirements.psd1, when they are missing.

.PARAMETER Task
Build   - builds both targets (net472, net8.0) and stages the module in out/QlikQrs/<version>.
Test    - runs the xunit suites (the module hosted in the PowerShell engine), then Pester 5 on tests/*.Tests.ps1.
Docs    - refreshes docs/en-US with PlatyPS 1.0 and writes the MAML help into the staged module's en-US folder.
Package - writes a .nupkg the PowerShell Gallery accepts into out/packages.
Demo    - starts the sandbox QRS with a seeded site and runs examples/Tour.ps1 against it.

.EXAMPLE
./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$version = (Import-PowerShellDataFile -Path (Join-Path $root 'QlikQrs.psd1')).ModuleVersion
$staging = Join-Path $root "out/QlikQrs/$version"
$stagedManifest = Join-Path $staging 'QlikQrs.psd1'
$requirements = Import-PowerShellDataFile -Path (Join-Path $root 'tools/BuildRequirements.psd1')

function Invoke-DotNet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Import-BuildModule {
    param([string] $Name)
    $wanted = [version]$requirements[$Name]
    if (-not (Get-Module -ListAvailable -Name $Name | Where-Object Version -EQ $wanted)) {
        Write-Host "Installing $Name $wanted for the current user"
        if (Get-Command -Name Install-PSResource -ErrorAction SilentlyContinue) {
            Install-PSResource -Name $Name -Version $wanted -Scope CurrentUser -TrustRepository -Quiet
        }
        else {
            Install-Module -Name $Name -RequiredVersion $wanted -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber
        }
    }
    Import-Module -Name $Name -RequiredVersion $wanted -Force
}

# Pester and PlatyPS import QlikQrs; a child process keeps it out of this session (its assemblies cannot be unloaded).
function Invoke-InChildProcess {
    param([string] $Script)
    $exe = (Get-Process -Id $PID).Path
    & $exe -NoProfile -NonInteractive -Command $Script
    if ($LASTEXITCODE -ne 0) {
        throw "The child PowerShell failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Build {
    Invoke-DotNet build (Join-Path $root 'src/QlikQrs/QlikQrs.csproj') --configuration $Configuration
    if (-not (Test-Path -LiteralPath $stagedManifest)) {
        throw "The build did not stage the module at $staging."
    }
}

function Invoke-Test {
    Invoke-DotNet test (Join-Path $root 'QlikQrs.sln') --configuration $Configuration
    $pester = $requirements['Pester']
    Import-BuildModule -Name Pester
    Invoke-InChildProcess @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name Pester -RequiredVersion $pester
`$env:QLIKQRS_MANIFEST = '$stagedManifest'
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = '$(Join-Path $root 'tests')'
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputPath = '$(Join-Path $root 'out/pester.xml')'
Invoke-Pester -Configuration `$configuration
"@
}

function Invoke-Docs {
    # docs/en-US is the source of the help, and every build turns it into MAML and about_ topics in the staged module.
    # This task refreshes what the pages copy from the cmdlets (syntax, parameter blocks) and starts a page for a new
    # cmdlet: with PlatyPS where it is installed or can be, otherwise with the project's own help builder. Then it
    # builds again, which writes the help from the refreshed pages.
    Invoke-Build
    $docs = Join-Path $root 'docs/en-US'
    $platyPS = $requirements['Microsoft.PowerShell.PlatyPS']
    $usePlatyPS = $true
    try {
        Import-BuildModule -Name Microsoft.PowerShell.PlatyPS
    }
    catch {
        Write-Warning "PlatyPS $platyPS is not available ($($_.Exception.Message)); the help builder refreshes the pages instead."
        $usePlatyPS = $false
    }

    if ($usePlatyPS) {
        Invoke-InChildProcess @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name Microsoft.PowerShell.PlatyPS -RequiredVersion $platyPS
`$module = Import-Module -Name '$stagedManifest' -PassThru
`$pages = Measure-PlatyPSMarkdown -Path '$docs/*.md' | Where-Object Filetype -Match 'CommandHelp'
`$documented = @(`$pages | ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension(`$_.FilePath) })
if (`$pages) { Update-MarkdownCommandHelp -Path `$pages.FilePath | Out-Null }
`$missing = @(`$module.ExportedCmdlets.Keys | Where-Object { `$_ -notin `$documented })
if (`$missing) {
    `$new = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
    New-MarkdownCommandHelp -CommandInfo (`$missing | ForEach-Object { Get-Command -Name `$_ -Module QlikQrs }) -OutputFolder `$new | Out-Null
    Get-ChildItem -Path `$new -Recurse -Filter *.md | Move-Item -Destination '$docs'
    Write-Host "New pages to fill in: `$(`$missing -join ', ')"
}
"@
    }
    else {
        Invoke-DotNet run --project (Join-Path $root 'tools/QlikQrs.HelpBuilder') --configuration $Configuration -- update --module $stagedManifest --docs $docs
    }

    Invoke-Build
}

function Invoke-Package {
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Path $packages -Force | Out-Null
    $repository = 'QlikQrsLocal'
    if (Get-Command -Name Publish-PSResource -ErrorAction SilentlyContinue) {
        if (-not (Get-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue)) {
            Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
        }
        Publish-PSResource -Path $staging -Repository $repository
    }
    else {
        if (-not (Get-PSRepository -Name $repository -ErrorAction SilentlyContinue)) {
            Register-PSRepository -Name $repository -SourceLocation $packages -PublishLocation $packages -InstallationPolicy Trusted
        }
        Publish-Module -Path $staging -Repository $repository
    }
    Write-Host "Package written to $packages"
}

function Invoke-Demo {
    if (-not (Test-Path -LiteralPath $stagedManifest)) {
        Invoke-Build
    }

    $certs = Join-Path $root 'out/demo/certs'
    $port = 14242
    $sandbox = Start-Process -FilePath dotnet -PassThru -NoNewWindow -ArgumentList @(
        'run', '--project', (Join-Path $root 'src/QlikQrs.Sandbox'), '--',
        '--port', $port, '--certs', $certs, '--seed', 'users=500,apps=100,streams=8,tasks=40,tags=12')
    try {
        $deadline = (Get-Date).AddMinutes(2)
        while (-not (Test-Path -LiteralPath (Join-Path $certs 'client_key.pem')) -or -not (Test-NetPort -Port $port)) {
            if ($sandbox.HasExited -or (Get-Date) -gt $deadline) {
                throw 'The sandbox QRS did not start.'
            }
            Start-Sleep -Milliseconds 500
        }

        Invoke-InChildProcess @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$stagedManifest'
& '$(Join-Path $root 'examples/Tour.ps1')' -ComputerName localhost -Port $port -CertificatePath '$certs'
"@
    }
    finally {
        Stop-Process -Id $sandbox.Id -ErrorAction SilentlyContinue
    }
}

function Test-NetPort {
    param([int] $Port)
    $client = [System.Net.Sockets.TcpClient]::new()
    try {
        $client.ConnectAsync('localhost', $Port).Wait(500) -and $client.Connected
    }
    catch {
        $false
    }
    finally {
        $client.Dispose()
    }
}

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Cyan
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Demo' { Invoke-Demo }
    }
}
