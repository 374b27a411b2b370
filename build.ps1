<#
.SYNOPSIS
Builds, tests, documents and packages QlikQrs.

.DESCRIPTION
Runs on PowerShell 7.2+ (installed, or the .NET tool: `dotnet pwsh ./build.ps1`) and Windows PowerShell 5.1, with the
.NET SDK named in global.json on the PATH. Docs installs PlatyPS for the current user, at the version pinned in
tools/BuildRequirements.psd1, when it is missing; the other tasks need nothing beyond the SDK.

.PARAMETER Task
Build   - builds both targets (net472, net8.0) and stages the module, with its help, in out/QlikQrs/<version>.
Test    - `dotnet test`: the xunit suites and, in `dotnet pwsh` with Pester from NuGet, every tests/*.Tests.ps1.
Docs    - refreshes the code-derived parts of docs/en-US (PlatyPS 1.0 where it installs, the help builder otherwise);
          every build writes the MAML help into the staged module's en-US folder.
Package - writes a .nupkg the PowerShell Gallery accepts, with help and LICENSE, into out/packages.
Demo    - starts the built sandbox QRS with a seeded site, runs examples/Tour.ps1 against it and stops it.

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

# The executable of the PowerShell running this script, from $PSHOME: powershell.exe for Windows PowerShell, pwsh or
# pwsh.exe for an installed pwsh and for pwsh as a .NET tool (whose process is dotnet, so its own path will not do).
function Get-PowerShellExecutable {
    foreach ($name in 'pwsh.exe', 'pwsh', 'powershell.exe') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) {
            return $candidate
        }
    }
    throw "No PowerShell executable in $PSHOME."
}

# PlatyPS and the tour import QlikQrs; a child process keeps it out of this session (its assemblies cannot be unloaded).
# The script goes in encoded, so that quotes in it survive Windows PowerShell's passing of native arguments; its output
# comes back as text (an encoded command whose output is redirected would otherwise answer in CLIXML).
function Invoke-InChildProcess {
    param([string] $Script)
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    & (Get-PowerShellExecutable) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded
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

# The README's test command. Its Pester runner (tests/QlikQrs.Pester.Tests) needs `dotnet pwsh`, the local tool.
function Invoke-Test {
    Invoke-DotNet tool restore --tool-manifest (Join-Path $root '.config/dotnet-tools.json')
    Invoke-DotNet test (Join-Path $root 'QlikQrs.sln') --configuration $Configuration
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
    if (-not (Test-Path -LiteralPath $stagedManifest)) {
        Invoke-Build
    }

    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Path $packages -Force | Out-Null
    if (Get-Command -Name Compress-PSResource -ErrorAction SilentlyContinue) {
        Compress-PSResource -Path $staging -DestinationPath $packages
    }
    else {
        # Windows PowerShell without PSResourceGet 1.1: PowerShellGet publishes into a local repository folder.
        $repository = 'QlikQrsLocal'
        if (-not (Get-PSRepository -Name $repository -ErrorAction SilentlyContinue)) {
            Register-PSRepository -Name $repository -SourceLocation $packages -PublishLocation $packages -InstallationPolicy Trusted
        }
        Publish-Module -Path $staging -Repository $repository
    }

    $package = Join-Path $packages "QlikQrs.$version.nupkg"
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $archive = [System.IO.Compression.ZipFile]::OpenRead($package)
    try {
        $entries = @($archive.Entries | ForEach-Object { [System.Uri]::UnescapeDataString($_.FullName) })
    }
    finally {
        $archive.Dispose()
    }
    $missing = @('LICENSE', 'en-US/QlikQrs.dll-Help.xml', 'en-US/about_QlikQrs.help.txt') | Where-Object { $entries -notcontains $_ }
    if ($missing) {
        throw "$package lacks $($missing -join ', '); the build stages help and LICENSE beside the manifest."
    }
    Write-Host "Package written to $package, with help and LICENSE"
}

function Invoke-Demo {
    Invoke-Build
    Invoke-DotNet build (Join-Path $root 'src/QlikQrs.Sandbox/QlikQrs.Sandbox.csproj') --configuration $Configuration
    . (Join-Path $root 'tools/SandboxProcess.ps1')

    $certs = Join-Path $root 'out/demo/certs'
    $port = 14242
    $sandbox = Start-SandboxProcess -Assembly (Join-Path $root "src/QlikQrs.Sandbox/bin/$Configuration/net10.0/QlikQrs.Sandbox.dll") -Arguments @(
        '--port', $port, '--certs', $certs, '--seed', 'users=500,apps=100,streams=8,tasks=40,tags=12')
    try {
        $sandbox.Started | ForEach-Object { Write-Host $_ }
        Invoke-InChildProcess @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$stagedManifest'
& '$(Join-Path $root 'examples/Tour.ps1')' -ComputerName localhost -Port $port -CertificatePath '$certs'
"@
    }
    finally {
        Stop-SandboxProcess -Sandbox $sandbox
        Write-Host 'The sandbox QRS has stopped.'
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
