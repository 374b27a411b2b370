#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Connection/*.cs for machines with PowerShell and Pester: the built sandbox QRS is started
# for the run, and the module connects to it over mutual TLS.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = $sandbox.Folder

    # For the sandbox's own endpoints (faults, request log), apart from the connections under test.
    $sandboxAdmin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name sandbox-admin -PassThru

    # This process's established connections to the sandbox, by their local end, as the system lists them.
    function Get-OpenSocket {
        [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties().GetActiveTcpConnections() |
            Where-Object { $_.RemoteEndPoint.Port -eq $port -and $_.State -eq 'Established' } |
            ForEach-Object { $_.LocalEndPoint.ToString() }
    }

    # The requests with this method and path the sandbox has seen, oldest first (its request log, GET /sandbox/requests).
    function Get-SandboxRequest {
        param([string] $Method, [string] $Path)
        Invoke-QrsRequest /sandbox/requests -Connection $sandboxAdmin | Where-Object { $_.method -eq $Method -and $_.path -eq $Path }
    }
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
        $certificate = Import-QrsCertificate -Path $certs
        $connection = $certificate | Connect-QrsServer -ComputerName localhost -Port $port -PassThru
        $connection.CertificateThumbprint | Should -Be $certificate.Thumbprint
        $connection.QrsVersion | Should -Match '^38\.22'
    }

    It 'refuses a server certificate from another root, and warns when told to skip the check' {
        $other = Join-Path $work 'other'
        New-QrsSandboxCertificate -Out $other -HostName othersite
        { Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -TrustedRoot "$other/root.pem" -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsServerCertificateUntrusted,QlikQrs.Commands.ConnectQrsServerCommand'
        $connection = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -TrustedRoot "$other/root.pem" -SkipCertificateCheck -PassThru -WarningVariable warned -WarningAction SilentlyContinue
        $connection.QrsVersion | Should -Match '^38\.22'
        $warned | Should -Not -BeNullOrEmpty
    }
}

Describe 'Disconnect-QrsServer' {
    It 'closes the connection''s sockets at once, and a closed connection says so' {
        $before = @(Get-OpenSocket)
        $connection = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name closing -PassThru
        $null = Invoke-QrsRequest /qrs/about -Connection $connection
        $ours = @(Get-OpenSocket | Where-Object { $_ -notin $before })
        $ours | Should -Not -BeNullOrEmpty
        Disconnect-QrsServer -Connection $connection
        @(Get-OpenSocket | Where-Object { $_ -in $ours }) | Should -BeNullOrEmpty
        $connection.IsClosed | Should -BeTrue
        { Invoke-QrsRequest /qrs/about -Connection $connection -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsConnectionClosed,QlikQrs.Commands.InvokeQrsRequestCommand' -ExpectedMessage "*'closing' was closed by Disconnect-QrsServer*"
    }
}

Describe 'Connection certificates' {
    It 'shows -SkipCertificateCheck on the connection and in Get-QrsConnection' {
        $skipped = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name unchecked -SkipCertificateCheck -PassThru -WarningAction SilentlyContinue
        $skipped.SkipCertificateCheck | Should -BeTrue
        Get-QrsConnection -Name unchecked | Format-Table | Out-String -Width 400 | Should -Match 'OFF \(-SkipCertificateCheck\)'
        "$skipped" | Should -Match 'server certificate NOT checked'
        Disconnect-QrsServer -Connection $skipped
    }

    It 'refuses a disposed certificate before connecting' {
        $certificate = Import-QrsCertificate -Path $certs
        $certificate.Dispose()
        { Connect-QrsServer -ComputerName localhost -Port $port -Certificate $certificate -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsCertificateDisposed,QlikQrs.Commands.ConnectQrsServerCommand' -ExpectedMessage '*was disposed*'
    }
}

Describe 'Invoke-QrsRequest' {
    BeforeAll { Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs }

    It 'streams a list as objects' {
        (Invoke-QrsRequest /qrs/app | Measure-Object).Count | Should -Be 20
    }

    It 'sends a hashtable, a PSCustomObject and a string as the body' {
        $names = 'h', 'o', 's' | ForEach-Object { "$_-$([guid]::NewGuid())" }
        (Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $names[0] }).name | Should -Be $names[0]
        (Invoke-QrsRequest /qrs/tag -Method POST -Body ([pscustomobject]@{ name = $names[1] })).name | Should -Be $names[1]
        (Invoke-QrsRequest /qrs/tag -Method POST -Body "{`"name`": `"$($names[2])`"}").name | Should -Be $names[2]
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

    It 'retries an injected 503 on a GET until it gets an answer' {
        $before = @(Get-SandboxRequest -Method GET -Path /qrs/stream).Count
        $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ failNext = @{ count = 2; status = 503; path = '/qrs/stream'; retryAfterSeconds = 0 } } -Connection $sandboxAdmin
        @(Invoke-QrsRequest /qrs/stream).Count | Should -Be (Invoke-QrsRequest /qrs/stream/count).value
        $attempts = @(Get-SandboxRequest -Method GET -Path /qrs/stream | Select-Object -Skip $before)
        $attempts.status | Should -Be @(503, 503, 200)
    }

    It 'changes nothing with -WhatIf' {
        $name = "whatif-$([guid]::NewGuid())"
        $posts = @(Get-SandboxRequest -Method POST -Path /qrs/tag).Count
        Invoke-QrsRequest /qrs/tag -Method POST -Body @{ name = $name } -WhatIf
        @(Get-SandboxRequest -Method POST -Path /qrs/tag).Count | Should -Be $posts
        (Invoke-QrsRequest /qrs/tag/count -Query @{ filter = "name eq '$name'" }).value | Should -Be 0
    }
}

Describe 'Test-QrsConnection' {
    It 'says a connection works' {
        $connection = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name tested -PassThru
        $test = Test-QrsConnection -Connection $connection
        $test.Success | Should -BeTrue
        $test.ErrorId | Should -BeNullOrEmpty
    }

    It 'names a refused connection' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $closed = $listener.LocalEndpoint.Port; $listener.Stop()
        (Test-QrsConnection -ComputerName localhost -Port $closed -CertificatePath $certs -MaxRetries 0).ErrorId | Should -Be 'QrsConnectionRefused'
    }
}
