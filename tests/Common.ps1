# Shared by the Pester tests: where the staged module is (build.ps1 passes it in QLIKQRS_MANIFEST).
$script:manifestPath = if ($env:QLIKQRS_MANIFEST) { $env:QLIKQRS_MANIFEST } else {
    $version = (Import-PowerShellDataFile -Path "$PSScriptRoot/../QlikQrs.psd1").ModuleVersion
    "$PSScriptRoot/../out/QlikQrs/$version/QlikQrs.psd1"
}
