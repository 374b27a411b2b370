#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Entities/*.cs for machines with PowerShell and Pester, against a sandbox QRS.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Get-QrsEntity' {
    # Type names, not type literals: the cases are built at discovery, before BeforeAll imports the module.
    It 'returns typed <Type> entities' -ForEach @(
        @{ Type = 'app'; Class = 'QlikQrs.Model.App' }
        @{ Type = 'stream'; Class = 'QlikQrs.Model.Stream' }
        @{ Type = 'user'; Class = 'QlikQrs.Model.User' }
        @{ Type = 'reloadtask'; Class = 'QlikQrs.Model.ReloadTask' }
    ) {
        $entities = @(Get-QrsEntity $Type -Full)
        $entities.Count | Should -BeGreaterThan 0
        foreach ($entity in $entities) { $entity | Should -BeOfType $Class }
    }

    It 'prints enums by name and keeps QRS date text' {
        $app = @(Get-QrsEntity app -Full)[0]
        "$($app.AvailabilityStatus)" | Should -Be 'NotApplicable'
        "$($app.CreatedDate)" | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
    }

    It 'counts' {
        Get-QrsEntity app -Count | Should -Be 20
    }

    It 'builds escaped filters from values' {
        $name = "O'Brien é $([guid]::NewGuid())"
        $null = New-QrsEntity tag @{ name = $name }
        (Get-QrsEntity tag -Where @{ name = $name }).Name | Should -Be $name
        New-QrsFilter @{ 'stream.name' = "O'Brien" } | Should -Be "stream.name eq 'O\'Brien'"
    }
}

Describe 'New-, Set- and Remove-QrsEntity' {
    It 'creates, changes and deletes through the pipeline' {
        $name = "pester-$([guid]::NewGuid())"
        $tag = New-QrsEntity tag @{ name = $name }
        (Get-QrsEntity tag -Id $tag.Id | Set-QrsEntity -Property @{ name = "$name renamed" } -PassThru).Name | Should -Be "$name renamed"
        Get-QrsEntity tag -Name "$name renamed" | Remove-QrsEntity
        Get-QrsEntity tag -Count -Name "$name renamed" | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        Get-QrsEntity app | Remove-QrsEntity -WhatIf
        Get-QrsEntity app -Count | Should -Be 20
    }

    It 'surfaces a conflict' {
        $tag = New-QrsEntity tag @{ name = "conflict-$([guid]::NewGuid())" }
        $stale = Get-QrsEntity tag -Id $tag.Id
        Set-QrsEntity $tag
        { Set-QrsEntity $stale -ErrorAction Stop } | Should -Throw -ErrorId 'QrsConflict,QlikQrs.Commands.SetQrsEntityCommand'
    }
}
