#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/ModuleTests.cs for machines with PowerShell and Pester.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    $manifest = Test-ModuleManifest -Path $manifestPath
    Import-Module -Name $manifestPath -Force
}

Describe 'The QlikQrs module' {
    It 'imports at the version of its manifest' {
        (Get-Module -Name QlikQrs).Version | Should -Be $manifest.Version
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $exported = (Get-Command -Module QlikQrs).Name | Sort-Object
        $exported | Should -Be ($manifest.ExportedCmdlets.Keys | Sort-Object)
    }

    It 'declares both editions and PowerShell 5.1' {
        $manifest.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'loads the build for this edition' {
        $assembly = (Get-Command -Name Import-QrsCertificate).ImplementingType.Assembly
        $framework = if ($PSVersionTable.PSEdition -eq 'Core') { 'net8.0' } else { 'net472' }
        $assembly.Location | Should -BeLike "*$([System.IO.Path]::DirectorySeparatorChar)$framework$([System.IO.Path]::DirectorySeparatorChar)QlikQrs.dll"
    }

    It 'keeps its cmdlets after Import-Module -Force' {
        Import-Module -Name $manifestPath -Force
        Get-Command -Name Import-QrsCertificate -Module QlikQrs | Should -Not -BeNullOrEmpty
    }
}
