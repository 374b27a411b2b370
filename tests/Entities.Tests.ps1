#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Entities/*.cs for machines with PowerShell and Pester, against a sandbox QRS.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $work = Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-pester-entities-$([guid]::NewGuid())"
    $certs = Join-Path $work 'certs'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $sandbox = Start-Process -FilePath dotnet -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-sandbox-$port.log") -ArgumentList @(
        'run', '--project', (Join-Path $PSScriptRoot '../src/QlikQrs.Sandbox'), '--', '--port', $port, '--certs', $certs, '--seed', 'users=50,apps=20,streams=3,tasks=5,tags=5')
    $deadline = (Get-Date).AddMinutes(2)
    do {
        Start-Sleep -Milliseconds 500
        $ready = (Test-Path (Join-Path $certs 'client_key.pem')) -and
            (Test-QrsConnection -ComputerName localhost -Port $port -CertificatePath $certs -MaxRetries 0 -ErrorAction SilentlyContinue).Success
    } until ($ready -or $sandbox.HasExited -or (Get-Date) -gt $deadline)
    if (-not $ready) { throw 'The sandbox QRS did not start.' }
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs
}

AfterAll {
    Get-QrsConnection | Disconnect-QrsServer
    if ($sandbox -and -not $sandbox.HasExited) { Stop-Process -Id $sandbox.Id }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-QrsEntity' {
    It 'returns typed <Type> entities' -ForEach @(
        @{ Type = 'app'; Class = [QlikQrs.Model.App] }
        @{ Type = 'stream'; Class = [QlikQrs.Model.Stream] }
        @{ Type = 'user'; Class = [QlikQrs.Model.User] }
        @{ Type = 'reloadtask'; Class = [QlikQrs.Model.ReloadTask] }
    ) {
        Get-QrsEntity $Type -Full | Should -BeOfType $Class
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
