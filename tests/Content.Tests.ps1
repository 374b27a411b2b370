#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# App objects, content files, extensions and data connections as an administrator handles them at a prompt, against a
# seeded sandbox QRS: the lists and their views, publishing and approving, files up and down, extensions from zips,
# and a data connection's password kept out of everything the session shows, in a transcript of the whole session.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = New-Item -ItemType Directory -Path (Join-Path $sandbox.Folder 'work')

    $sandboxAdmin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name sandbox-admin -PassThru
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site

    function Show-Table {
        $input | Format-Table | Out-String -Width 250
    }

    function New-ExtensionZip {
        param([Parameter(Mandatory)] [string] $Name)
        $folder = New-Item -ItemType Directory -Path (Join-Path $work $Name) -Force
        Set-Content -Path (Join-Path $folder "$Name.qext") -Value "{ `"name`": `"$Name`", `"type`": `"visualization`" }"
        Set-Content -Path (Join-Path $folder "$Name.js") -Value 'define([], function () { return {}; });'
        Compress-Archive -Path (Join-Path $folder '*') -DestinationPath "$folder.zip" -Force
        "$folder.zip"
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Get-QrsAppObject' {
    It 'tells base, community and private sheets apart on the seeded site' {
        $base = @(Get-QrsAppObject -ObjectType sheet -Published -Approved)
        $community = @(Get-QrsAppObject -ObjectType sheet -Published -Approved:$false)
        $private = @(Get-QrsAppObject -ObjectType sheet -Published:$false)

        $base.Count | Should -BeGreaterThan 0
        $community.Count | Should -BeGreaterThan 0
        $private.Count | Should -BeGreaterThan 0
        $community | ForEach-Object { $_.Published | Should -BeTrue; $_.Approved | Should -BeFalse }
        @($base + $community + $private).Id | Sort-Object -Unique | Should -HaveCount ($base.Count + $community.Count + $private.Count)
    }

    It 'shows name, type, app, owner and both states in its table' {
        $table = Get-QrsAppObject -App 'Sales dashboard 0001' | Show-Table
        $table | Should -Match 'Name\s+ObjectType\s+App\s+Owner\s+Published\s+Approved'
        $table | Should -Match 'Overview\s+sheet\s+Sales dashboard 0001\s+\w+\\user\d{6}'
    }

    It 'names a missing object in its error' {
        { Get-QrsAppObject 'No such sheet' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppObjectNotFound*'
    }
}

Describe 'Publish-, Approve-, Deny- and Unpublish-QrsAppObject' {
    It 'takes a private sheet of a published app through every state and back' {
        $sheet = @(Get-QrsAppObject -ObjectType sheet -Published:$false -Filter 'app.published eq true')[0]

        ($sheet | Publish-QrsAppObject -Confirm:$false).Published | Should -BeTrue
        ($sheet | Approve-QrsAppObject -Confirm:$false).Approved | Should -BeTrue
        $denied = $sheet | Deny-QrsAppObject -Confirm:$false
        $denied.Approved | Should -BeFalse
        $denied.Published | Should -BeTrue
        ($sheet | Unpublish-QrsAppObject -Confirm:$false).Published | Should -BeFalse
    }

    It 'changes nothing with -WhatIf, and refuses to publish an object of an unpublished app' {
        $sheet = @(Get-QrsAppObject -ObjectType sheet -Filter 'app.published eq false')[0]
        $sheet | Publish-QrsAppObject -WhatIf
        (Get-QrsAppObject -InputObject $sheet).Published | Should -BeFalse
        { $sheet | Publish-QrsAppObject -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsBadRequest*'
    }
}

Describe 'Import-, Export- and Remove-QrsContentFile' {
    It 'puts a file into a library, gets the same bytes back, and removes it' {
        $file = Join-Path $work 'chart.png'
        [IO.File]::WriteAllBytes($file, [byte[]](1..200))
        $out = New-Item -ItemType Directory -Path (Join-Path $work 'out')

        $imported = Get-Item $file | Import-QrsContentFile -ContentLibrary Logos
        $imported.LogicalPath | Should -Be '/content/Logos/chart.png'
        ($imported | Show-Table) | Should -Match 'Logos\s+chart.png\s+200\s+/content/Logos/chart.png'
        { Import-QrsContentFile $file -ContentLibrary Logos -ErrorAction Stop } | Should -Throw -ErrorId 'QrsContentFileExists*'

        $exported = Export-QrsContentFile 'chart.png' -ContentLibrary Logos -Path $out
        (Get-FileHash $exported.FullName).Hash | Should -Be (Get-FileHash $file).Hash

        $imported | Remove-QrsContentFile -ContentLibrary Logos -Confirm:$false
        { Export-QrsContentFile 'chart.png' -ContentLibrary Logos -Path $out -Force -ErrorAction Stop } | Should -Throw -ErrorId 'QrsContentFileNotFound*'
    }

    It "puts a file into an app's own content under a name of its own" {
        $file = Join-Path $work 'note.txt'
        Set-Content -Path $file -Value 'for the app'
        $imported = Import-QrsContentFile $file -App 'Sales dashboard 0001' -Name 'docs/note.txt'
        $imported.LogicalPath | Should -Match '^/appcontent/[0-9a-f-]{36}/docs/note.txt$'
        Remove-QrsContentFile 'docs/*' -App 'Sales dashboard 0001' -Confirm:$false
        { Remove-QrsContentFile 'docs/note.txt' -App 'Sales dashboard 0001' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsContentFileNotFound*'
    }
}

Describe 'Import- and Remove-QrsExtension' {
    It 'uploads a zip, refuses it again without -Replace, replaces it and removes it' {
        $zip = New-ExtensionZip -Name 'pester-tile'

        $extension = Import-QrsExtension $zip
        $extension.Name | Should -Be 'pester-tile'
        ($extension | Show-Table) | Should -Match 'pester-tile\s+\S+\s+2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
        { Import-QrsExtension $zip -ErrorAction Stop } | Should -Throw -ErrorId 'QrsExtensionExists*'
        (Import-QrsExtension $zip -Replace).Id | Should -Be $extension.Id

        Remove-QrsExtension 'pester-tile' -Confirm:$false
        Get-QrsEntity extension -Filter "name eq 'pester-tile'" | Should -BeNullOrEmpty
    }
}

Describe 'Get-, New- and Set-QrsDataConnection' {
    It 'lists connections of several kinds with their users in the table' {
        $connections = @(Get-QrsDataConnection)
        ($connections.Type | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 4
        (Get-QrsDataConnection -Type OLEDB | Show-Table) | Should -Match 'Sales DW\s+OLEDB\s+Provider=.*CORP\\svc_sales'
    }

    It 'never echoes, logs or shows the password: a transcript of the whole session holds none of it' {
        $first = 'First-' + [guid]::NewGuid().ToString('N')
        $second = 'Second-' + [guid]::NewGuid().ToString('N')
        $credential = [pscredential]::new('CORP\svc_reports', (ConvertTo-SecureString $first -AsPlainText -Force))
        $changed = [pscredential]::new('CORP\svc_reports', (ConvertTo-SecureString $second -AsPlainText -Force))
        $transcript = Join-Path $work 'transcript.txt'

        Start-Transcript -Path $transcript -IncludeInvocationHeader | Out-Null
        try {
            $created = New-QrsDataConnection -Name 'Reports' -ConnectionString 'C:\Reports' -Type folder -Credential $credential -Verbose
            $created | Format-List * | Out-Host
            New-QrsDataConnection -Name 'Reports (what if)' -ConnectionString 'C:\Reports' -Type folder -Credential $credential -WhatIf
            Set-QrsDataConnection 'Reports' -Credential $changed -PassThru -Verbose | Format-Table | Out-Host
            Set-QrsDataConnection 'Reports' -ConnectionString 'D:\Reports' -Verbose -WhatIf
            Invoke-QrsRequest "/qrs/dataconnection/$($created.Id)" -Verbose | Format-List * | Out-Host
            $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ failNext = @{ path = '/qrs/dataconnection'; method = 'POST'; status = 500; body = 'Could not save.' } } -Connection $sandboxAdmin
            New-QrsDataConnection -Name 'Reports 2' -ConnectionString 'C:\Reports' -Type folder -Credential $credential -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed | Format-List * -Force | Out-Host
            $failed.Exception.Trace | Out-Host
            Invoke-QrsRequest /sandbox/requests -Connection $sandboxAdmin | ConvertTo-Json -Depth 4 | Out-Host
        }
        finally {
            Stop-Transcript | Out-Null
        }

        $failed | Should -Not -BeNullOrEmpty
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'Reports'
        $text | Should -Match 'CORP\\svc_reports'
        $text | Should -Not -Match $first
        $text | Should -Not -Match $second
        (Get-QrsDataConnection 'Reports').Password | Should -BeNullOrEmpty
    }
}
