#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Connection/*.cs for machines with PowerShell and Pester: a sandbox QRS is started for
# the run (dotnet run), and the module connects to it over mutual TLS.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = $sandbox.Folder
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Connect-QrsServer' {
    It 'connects with an export folder and reports the QRS version' {
        $connection = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -PassThru
        $connection | Should -BeOfType ([QlikQrs.QrsConnection])
        $connection.QrsVersion | Should -Match '^38\.22'
        $connection.User | Should -Be 'INTERNAL\sa_api'
    }

    It 'takes a QrsCertificate from the pipeline' {
        { Import-QrsCertificate -Path $certs | Connect-QrsServer -ComputerName localhost -Port $port } | Should -Not -Throw
    }

    It 'refuses a server certificate from another root, and warns when told to skip the check' {
        $other = Join-Path $work 'other'
        & dotnet run --project (Join-Path $PSScriptRoot '../src/QlikQrs.Sandbox') -- certificates --out $other --hostname othersite | Out-Null
        { Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -TrustedRoot "$other/root.pem" -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsServerCertificateUntrusted,QlikQrs.Commands.ConnectQrsServerCommand'
        Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -TrustedRoot "$other/root.pem" -SkipCertificateCheck -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -Not -BeNullOrEmpty
    }
}

Describe 'Invoke-QrsRequest' {
    BeforeAll { Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs }

    It 'streams a list as objects' {
        (Invoke-QrsRequest /qrs/app | Measure-Object).Count | Should -Be 20
    }

    It 'sends a hashtable, a PSCustomObject and a string as the body' {
        (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = "h-$([guid]::NewGuid())" }).name | Should -BeLike 'h-*'
        (Invoke-QrsRequest /qrs/tag -Method POST -Body ([pscustomobject]@{ name = "o-$([guid]::NewGuid())" })).name | Should -BeLike 'o-*'
        (Invoke-QrsRequest /qrs/tag -Method POST -Body "{`"name`": `"s-$([guid]::NewGuid())`"}").name | Should -BeLike 's-*'
    }

    It 'round-trips quotes and non-ASCII through an encoded filter' {
        $name = "O'Brien é $([guid]::NewGuid())"
        $null = Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $name }
        (Invoke-QrsRequest /qrs/tag/full -Query @{ filter = "name eq '$($name.Replace("'", "\'"))'" }).name | Should -Be $name
    }

    It 'changes modifiedByUserName with -AsUser' {
        (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = "as-$([guid]::NewGuid())" } -AsUser 'CORP\jdoe').modifiedByUserName | Should -Be 'CORP\jdoe'
    }

    It 'surfaces a conflict as QrsConflict' {
        $tag = Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = "c-$([guid]::NewGuid())" }
        $null = Invoke-QrsRequest "/qrs/tag/$($tag.id)" -Method PUT -Body @{ id = $tag.id; modifiedDate = $tag.modifiedDate; name = 'first' }
        { Invoke-QrsRequest "/qrs/tag/$($tag.id)" -Method PUT -Body @{ id = $tag.id; modifiedDate = $tag.modifiedDate; name = 'second' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsConflict,QlikQrs.Commands.InvokeQrsRequestCommand'
    }

    It 'retries an injected 503 on a GET' {
        $admin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name admin -PassThru
        $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ failNext = @{ count = 2; status = 503; path = '/qrs/stream'; retryAfterSeconds = 0 } } -Connection $admin
        Invoke-QrsRequest /qrs/stream | Should -Not -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $name = "whatif-$([guid]::NewGuid())"
        Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $name } -WhatIf
        (Invoke-QrsRequest /qrs/tag/count -Query @{ filter = "name eq '$name'" }).value | Should -Be 0
    }
}

Describe 'Test-QrsConnection' {
    It 'says a connection works' {
        (Test-QrsConnection).Success | Should -BeTrue
    }

    It 'names a refused connection' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $closed = $listener.LocalEndpoint.Port; $listener.Stop()
        (Test-QrsConnection -ComputerName localhost -Port $closed -CertificatePath $certs -MaxRetries 0).ErrorId | Should -Be 'QrsConnectionRefused'
    }
}
