#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Certificates/ImportQrsCertificateTests.cs for machines with PowerShell and Pester.
# Certificates are minted by the sandbox at test time; none is committed.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $work = Join-Path ([System.IO.Path]::GetTempPath()) "qlikqrs-pester-$([guid]::NewGuid())"
    New-QrsSandboxCertificate -Out "$work/site" -HostName qlikserver1
    New-QrsSandboxCertificate -Out "$work/other" -HostName otherserver
    New-QrsSandboxCertificate -Out "$work/protected" -HostName qlikserver1 -Password 'Qlik!Pa55'

    function New-Export {
        param([string] $Name, [string] $Certificate = "$work/site/client.pem", [string] $Key = "$work/site/client_key.pem", [string] $Root = "$work/site/root.pem")
        $folder = New-Item -ItemType Directory -Path "$work/broken/$Name" -Force
        Copy-Item -LiteralPath $Certificate -Destination "$folder/client.pem"
        Copy-Item -LiteralPath $Key -Destination "$folder/client_key.pem"
        Copy-Item -LiteralPath $Root -Destination "$folder/root.pem"
        $folder.FullName
    }
}

AfterAll {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-QrsCertificate' {
    Context 'loads' {
        # Written with the characters' codes, so that Windows PowerShell 5.1 reads this file the same.
        It 'an OpenSSL 3 (PBES2) client.pfx whose password is <Name>' -Skip:(-not (Get-Command openssl -ErrorAction SilentlyContinue)) -ForEach @(
            @{ Name = 'accented'; Password = "caf$([char]0xE9)" }
            @{ Name = 'Chinese'; Password = "$([char]0x5BC6)$([char]0x7801)$([char]0x6D4B)$([char]0x8BD5)" }
            @{ Name = 'an emoji'; Password = "key $([char]::ConvertFromUtf32(0x1F511))" }
        ) {
            $pfx = "$work/pbes2-$([guid]::NewGuid()).pfx"
            & openssl pkcs12 -export -in "$work/site/client.pem" -inkey "$work/site/client_key.pem" -out $pfx -passout "pass:$Password"
            $LASTEXITCODE | Should -Be 0
            $secure = ConvertTo-SecureString -String $Password -AsPlainText -Force
            (Import-QrsCertificate -CertificatePath $pfx -Password $secure).Thumbprint | Should -Be (Import-QrsCertificate -Path "$work/site").Thumbprint
        }

        It 'a QMC PEM export folder' {
            $certificate = Import-QrsCertificate -Path "$work/site"
            $certificate | Should -BeOfType ([QlikQrs.QrsCertificate])
            $certificate.Subject | Should -Be 'CN=QlikClient'
            $certificate.HasPrivateKey | Should -BeTrue
            $certificate.IsQlikClient | Should -BeTrue
            $certificate.RootSubject | Should -Be 'CN=qlikserver1-CA'
        }

        It 'a Windows-format export with its empty password' {
            Remove-Item "$work/site-pfx" -Recurse -ErrorAction SilentlyContinue
            New-Item -ItemType Directory -Path "$work/site-pfx" | Out-Null
            Copy-Item "$work/site/client.pfx", "$work/site/root.cer" -Destination "$work/site-pfx"
            (Import-QrsCertificate -Path "$work/site-pfx").Thumbprint | Should -Be (Import-QrsCertificate -Path "$work/site").Thumbprint
        }

        It 'a password-protected client.pfx' {
            $password = ConvertTo-SecureString -String 'Qlik!Pa55' -AsPlainText -Force
            (Import-QrsCertificate -CertificatePath "$work/protected/client.pfx" -Password $password).HasPrivateKey | Should -BeTrue
        }

        It 'explicit files with a DER root' {
            $certificate = Import-QrsCertificate -CertificatePath "$work/site/client.pem" -KeyPath "$work/site/client_key.pem" -RootPath "$work/site/root.cer"
            $certificate.RootSubject | Should -Be 'CN=qlikserver1-CA'
        }

        It 'folders from the pipeline' {
            $certificates = @("$work/site", "$work/other") | Import-QrsCertificate
            $certificates.RootSubject | Should -Be @('CN=qlikserver1-CA', 'CN=otherserver-CA')
        }

        It 'turns an X509Certificate2 into a QrsCertificate' {
            $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new("$work/site/client.pfx", [string]::Empty)
            $certificate = $x509 | Import-QrsCertificate -RootPath "$work/site/root.pem"
            $certificate | Should -BeOfType ([QlikQrs.QrsCertificate])
            $certificate.Thumbprint | Should -Be $x509.Thumbprint
            $certificate.HasPrivateKey | Should -BeTrue
        }
    }

    Context 'refuses with its own error' {
        It '<Case> -> <ErrorId>' -ForEach @(
            @{ Case = 'missing folder'; ErrorId = 'QrsCertificateFolderNotFound'; Path = { "$work/does-not-exist" } }
            @{ Case = 'folder without an export'; ErrorId = 'QrsCertificateExportNotFound'; Path = { (New-Item -ItemType Directory -Path "$work/empty-folder" -Force).FullName } }
            @{ Case = 'key of another site'; ErrorId = 'QrsCertificateKeyMismatch'; Path = { New-Export -Name mismatch -Key "$work/other/client_key.pem" } }
            @{ Case = 'root of another site'; ErrorId = 'QrsCertificateNotIssuedByRoot'; Path = { New-Export -Name foreign -Root "$work/other/root.pem" } }
            @{ Case = 'server.pem as root'; ErrorId = 'QrsCertificateRootNotCA'; Path = { New-Export -Name notca -Root "$work/site/server.pem" } }
            @{ Case = 'PFX needing a password'; ErrorId = 'QrsCertificatePasswordRequired'; Path = {
                    $folder = New-Item -ItemType Directory -Path "$work/pfx-protected" -Force
                    Copy-Item "$work/protected/client.pfx" -Destination $folder
                    $folder.FullName } }
        ) {
            $folder = & $Path
            { Import-QrsCertificate -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,QlikQrs.Commands.ImportQrsCertificateCommand"
        }

        It 'an empty client.pem' {
            $folder = New-Export -Name empty
            Set-Content -LiteralPath "$folder/client.pem" -Value '' -NoNewline
            { Import-QrsCertificate -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId 'QrsCertificateFileEmpty,QlikQrs.Commands.ImportQrsCertificateCommand'
        }

        It 'a truncated client.pem' {
            $folder = New-Export -Name truncated
            $text = Get-Content -LiteralPath "$folder/client.pem" -Raw
            Set-Content -LiteralPath "$folder/client.pem" -Value $text.Substring(0, [int]($text.Length / 2)) -NoNewline
            { Import-QrsCertificate -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId 'QrsCertificateCorrupt,QlikQrs.Commands.ImportQrsCertificateCommand'
        }

        It 'two certificates in client.pem' {
            $folder = New-Export -Name two
            Get-Content -LiteralPath "$work/other/client.pem" | Add-Content -LiteralPath "$folder/client.pem"
            { Import-QrsCertificate -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId 'QrsCertificateMultipleCertificates,QlikQrs.Commands.ImportQrsCertificateCommand'
        }

        It 'a wrong password' {
            $password = ConvertTo-SecureString -String 'wrong' -AsPlainText -Force
            { Import-QrsCertificate -CertificatePath "$work/protected/client.pfx" -Password $password -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsCertificatePasswordInvalid,QlikQrs.Commands.ImportQrsCertificateCommand'
        }

        It 'the service certificate (server.pem) as the client certificate' {
            { Import-QrsCertificate -CertificatePath "$work/site/server.pem" -KeyPath "$work/site/server_key.pem" -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsCertificateNotAClientCertificate,QlikQrs.Commands.ImportQrsCertificateCommand' -ExpectedMessage "*service certificate (server.pem*"
        }

        It 'a device, without reading it' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            { Import-QrsCertificate -CertificatePath /dev/zero -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsCertificateNotAFile,QlikQrs.Commands.ImportQrsCertificateCommand' -ExpectedMessage "*'/dev/zero' is a device or a pipe*"
        }

        It 'a symbolic link to nowhere, naming the link' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            $link = New-Item -ItemType SymbolicLink -Path "$work/dangling.pem" -Target "$work/gone.pem"
            { Import-QrsCertificate -CertificatePath $link.FullName -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsCertificateFileNotFound,QlikQrs.Commands.ImportQrsCertificateCommand' -ExpectedMessage "*is a symbolic link to*which does not exist*"
        }

        It 'a file this account may not read' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop' -or (& id -u) -eq '0') {
            $folder = New-Export -Name locked
            chmod 000 "$folder/client.pem"
            { Import-QrsCertificate -Path $folder -ErrorAction Stop } |
                Should -Throw -ErrorId 'QrsCertificateAccessDenied,QlikQrs.Commands.ImportQrsCertificateCommand' -ExpectedMessage '*(permission denied)*'
        }

        It 'the certificate store off Windows' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            { Import-QrsCertificate -ErrorAction Stop } | Should -Throw -ErrorId 'QrsCertificateStoreNotSupported,QlikQrs.Commands.ImportQrsCertificateCommand'
        }
    }
}
