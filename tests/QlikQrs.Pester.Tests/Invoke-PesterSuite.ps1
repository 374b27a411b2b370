<#
.SYNOPSIS
Runs Pester suites against the staged module, the one way tests/*.Tests.ps1 are run: by the xunit runner in this
folder (in `dotnet pwsh`) and by the CI workflow (in Windows PowerShell 5.1 and pwsh).

.DESCRIPTION
Imports Pester from the given manifest (the NuGet package's tools/Pester.psd1), runs the suites with detailed output,
optionally writes NUnit XML results, and exits with 1 unless every test passed and at least one ran.

.EXAMPLE
./tests/QlikQrs.Pester.Tests/Invoke-PesterSuite.ps1 -Path ./tests -Pester (dotnet msbuild tests/QlikQrs.Pester.Tests -getProperty:PesterModule)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string[]] $Path,

    [Parameter(Mandatory)]
    [string] $Pester,

    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module -Name $Pester -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
}

$result = Invoke-Pester -Configuration $configuration
if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) {
    exit 1
}
