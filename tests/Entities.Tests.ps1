#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Entities/*.cs for machines with PowerShell and Pester, against a sandbox QRS.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $first = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -PassThru
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

    It 'finds names with * and ? as wildcards, on any family' {
        $names = @(Get-QrsEntity tag).Name
        @(Get-QrsEntity tag -Name 'sales-*').Name | Should -Be @($names | Where-Object { $_ -like 'Sales-*' })
        @(Get-QrsEntity stream -Name '?ales').Name | Should -Be @('Sales')
        Get-QrsEntity app -Name '* dashboard 000?' -Count | Should -Be 9
    }

    It 'takes a piped entity for one of its -Type''s family only' {
        $app = @(Get-QrsEntity app)[0]
        ($app | Get-QrsEntity app).Id | Should -Be $app.Id
        $null = @(Get-QrsEntity stream)[0] | Get-QrsEntity app -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'QrsWrongEntityType,QlikQrs.Commands.GetQrsEntityCommand'
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
        Get-QrsEntity tag -Name "$name renamed" | Remove-QrsEntity -Confirm:$false
        Get-QrsEntity tag -Count -Name "$name renamed" | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        Get-QrsEntity app | Remove-QrsEntity -WhatIf
        Get-QrsEntity app -Count | Should -Be 20
    }

    It 'saves a condensed entity over a fresh full copy, without a false conflict' {
        $name = "condensed-$([guid]::NewGuid())"
        $null = New-QrsEntity tag @{ name = $name } -Confirm:$false
        $condensed = Get-QrsEntity tag -Name $name
        $condensed | Should -BeOfType 'QlikQrs.Model.TagCondensed'
        $condensed.Name = "$name renamed"
        ($condensed | Set-QrsEntity -PassThru).Name | Should -Be "$name renamed"
    }

    It 'names the entity in an error and keeps the HTTP trace out of the advice' {
        $name = "gone-$([guid]::NewGuid())"
        $tag = New-QrsEntity tag @{ name = $name }
        $tag | Remove-QrsEntity -Confirm:$false
        $tag | Remove-QrsEntity -Confirm:$false -ErrorVariable gone -ErrorAction SilentlyContinue

        $gone.Count | Should -Be 1
        $gone[0].FullyQualifiedErrorId | Should -Be 'QrsNotFound,QlikQrs.Commands.RemoveQrsEntityCommand'
        $gone[0].TargetObject.Name | Should -Be $name
        $gone[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*DELETE*'
        $gone[0].Exception.Trace | Should -BeLike "DELETE *$($tag.Id)* -> 404*"
    }

    It 'saves an entity through the connection it came from, and refuses another -Connection' {
        $other = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name other -UserId other_user -PassThru
        try {
            # $other is the default now; the tag still goes back through the connection it came from.
            $tag = New-QrsEntity tag @{ name = "own-$([guid]::NewGuid())" } -Connection $first
            { $tag | Set-QrsEntity -Property @{ name = "$($tag.Name) (other)" } -Connection $other -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsConnectionMismatch,QlikQrs.Commands.SetQrsEntityCommand'
            ($tag | Set-QrsEntity -Property @{ name = "$($tag.Name) (own)" } -PassThru).ModifiedByUserName | Should -Be 'INTERNAL\sa_api'
        }
        finally {
            $other | Disconnect-QrsServer
        }
    }

    It 'surfaces a conflict' {
        $tag = New-QrsEntity tag @{ name = "conflict-$([guid]::NewGuid())" }
        $stale = Get-QrsEntity tag -Id $tag.Id
        Set-QrsEntity $tag
        { Set-QrsEntity $stale -ErrorAction Stop } | Should -Throw -ErrorId 'QrsConflict,QlikQrs.Commands.SetQrsEntityCommand'
    }
}
