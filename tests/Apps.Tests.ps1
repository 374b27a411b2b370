#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The app lifecycle and streams as an administrator runs them at a prompt, against a seeded sandbox QRS: the typed
# cmdlets, their table views, their errors, -WhatIf, connections, bulk changes, timeouts and tab completion. What the
# server holds is read back through the cmdlets and through the sandbox's request log.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = New-Item -ItemType Directory -Path (Join-Path $sandbox.Folder 'work')

    # The sandbox's own endpoints (faults, request log) first; the site's connection last, so that it is the default.
    $sandboxAdmin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name sandbox-admin -PassThru
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site

    # The calls the sandbox has seen since the log was last cleared, oldest first; -Path takes wildcards.
    function Get-SandboxRequest {
        param([string] $Method, [string] $Path = '*')
        Invoke-QrsRequest /sandbox/requests -Connection $sandboxAdmin |
            Where-Object { (-not $Method -or $_.method -eq $Method) -and $_.path -like $Path }
    }

    function Clear-SandboxRequest {
        $null = Invoke-QrsRequest /sandbox/requests -Method POST -Body @{ clear = $true } -Connection $sandboxAdmin
    }

    # A QVF stand-in: random bytes, the same for the same seed.
    function New-Qvf {
        param([Parameter(Mandatory)] [string] $Name, [int] $Size = 200000, [int] $Seed = 1, [string] $Folder = $work)
        $bytes = New-Object byte[] $Size
        [System.Random]::new($Seed).NextBytes($bytes)
        $path = Join-Path $Folder "$Name.qvf"
        [System.IO.File]::WriteAllBytes($path, $bytes)
        Get-Item -LiteralPath $path
    }

    function New-Folder {
        New-Item -ItemType Directory -Path (Join-Path $work ([guid]::NewGuid()))
    }

    # What a user reads on the screen: the default view, wide enough not to wrap.
    function Show-Table {
        $input | Format-Table | Out-String -Width 250
    }

    # Every app and what a change would alter, to compare before and after.
    function Get-AppState {
        Get-QrsApp | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}' -f $_.Id, $_.Name, $_.Published, $_.Stream.Name, $_.Description, $_.ModifiedDate }
    }

    function Get-StreamState {
        Get-QrsStream | ForEach-Object { '{0}|{1}|{2}' -f $_.Id, $_.Name, $_.ModifiedDate }
    }

    # The lines PowerShell prints for -WhatIf go to the host, not to a stream: a transcript catches them.
    function Get-WhatIfText {
        param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
        $transcript = Join-Path $work "whatif-$([guid]::NewGuid()).txt"
        $null = Start-Transcript -LiteralPath $transcript
        try { $null = & $ScriptBlock } finally { $null = Stop-Transcript }
        Get-Content -LiteralPath $transcript -Raw
    }

    function Get-Completion {
        param([Parameter(Mandatory)] [string] $Line)
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Get-QrsApp' {
    It 'finds typed apps by name, with * and ? as wildcards, in any case' {
        $all = @(Get-QrsApp)
        $all.Count | Should -Be 20
        $all | ForEach-Object { $_ | Should -BeOfType 'QlikQrs.Model.App' }

        $finance = @(Get-QrsApp -Name 'fIN*')
        $finance.Count | Should -BeGreaterThan 0
        $finance.Name | Should -Be @($all | Where-Object Name -Like 'Fin*' | ForEach-Object Name)

        $single = @(Get-QrsApp -Name '* dashboard 000?')
        $single.Name | Should -Be @($all | Where-Object Name -Like '* dashboard 000?' | ForEach-Object Name)
        $single.Count | Should -Be 9

        @(Get-QrsApp -Name 'No such app*').Count | Should -Be 0
        (Get-QrsApp -Name $all[3].Name).Id | Should -Be $all[3].Id
        (Get-QrsApp -Id $all[4].Id).Name | Should -Be $all[4].Name
    }

    It 'finds the apps of a stream, a tag, an owner and those published or not' {
        $all = @(Get-QrsApp)
        function Get-Ids { param($Apps) @($Apps | ForEach-Object { "$($_.Id)" } | Sort-Object) }

        $inFinance = Get-Ids ($all | Where-Object { $_.Stream.Name -eq 'Finance' })
        $inFinance.Count | Should -BeGreaterThan 0
        Get-Ids (Get-QrsApp -Stream Finance) | Should -Be $inFinance
        Get-Ids (Get-QrsApp -Stream (Get-QrsStream -Name Finance)) | Should -Be $inFinance

        $tag = @($all | ForEach-Object { $_.Tags } | Where-Object { $_ })[0].Name
        $tagged = Get-Ids ($all | Where-Object { $_.Tags.Name -contains $tag })
        $tagged.Count | Should -BeGreaterThan 0
        Get-Ids (Get-QrsApp -Tag $tag) | Should -Be $tagged

        $owner = $all[0].Owner
        $owned = Get-Ids ($all | Where-Object { $_.Owner.Id -eq $owner.Id })
        Get-Ids (Get-QrsApp -Owner "$($owner.UserDirectory)\$($owner.UserId)") | Should -Be $owned

        $published = Get-Ids ($all | Where-Object Published)
        $unpublished = Get-Ids ($all | Where-Object { -not $_.Published })
        $published.Count | Should -BeGreaterThan 0
        $unpublished.Count | Should -BeGreaterThan 0
        Get-Ids (Get-QrsApp -Published) | Should -Be $published
        Get-Ids (Get-QrsApp -Published:$false) | Should -Be $unpublished

        $both = Get-Ids ($all | Where-Object { $_.Stream.Name -eq 'Finance' -and $_.Name -like '*0?' })
        $both.Count | Should -BeGreaterThan 0
        Get-Ids (Get-QrsApp -Name '*0?' -Stream Finance -Published) | Should -Be $both
    }

    It 'shows name, stream, owner, last reload in local time with seconds, and size in MB' {
        $app = @(Get-QrsApp -Published)[0]
        $unpublished = @(Get-QrsApp -Published:$false)[0]
        # In a zone far from UTC, so that a UTC time shown as it is cannot pass for local time.
        $zoned = -not ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop')
        $zone = $env:TZ
        if ($zoned) { $env:TZ = 'Pacific/Chatham'; [System.TimeZoneInfo]::ClearCachedData() }
        try {
            $local = $app.LastReloadTime.Value.ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss')
            $table = $app, $unpublished | Show-Table
        }
        finally {
            if ($zoned) { $env:TZ = $zone; [System.TimeZoneInfo]::ClearCachedData() }
        }
        if ($zoned) { $local | Should -Not -Be $app.LastReloadTime.Value.ToString('yyyy-MM-dd HH:mm:ss') }

        $lines = $table -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Stream\s+Owner\s+LastReload\s+SizeMB\s*$'
        $size = '{0:N1}' -f ($app.FileSize / 1MB)
        $owner = [regex]::Escape("$($app.Owner.UserDirectory)\$($app.Owner.UserId)")
        $lines[2] | Should -Match "^$([regex]::Escape($app.Name))\s+$([regex]::Escape($app.Stream.Name))\s+$owner\s+$([regex]::Escape($local))\s+$([regex]::Escape($size))$"
        $lines[3] | Should -Match "^$([regex]::Escape($unpublished.Name))\s+\(unpublished\)\s"
    }

    It 'says QrsAppNotFound for a name or id that matches nothing, with that name as the target' {
        $null = Get-QrsApp -Name 'No such app' -ErrorVariable missing -ErrorAction SilentlyContinue
        $id = [guid]::NewGuid()
        $null = Get-QrsApp -Id $id -ErrorVariable missingId -ErrorAction SilentlyContinue
        Remove-QrsApp 'No such app' -Confirm:$false -ErrorVariable notRemoved -ErrorAction SilentlyContinue

        foreach ($record in @($missing) + @($missingId) + @($notRemoved)) {
            $record.FullyQualifiedErrorId | Should -BeLike 'QrsAppNotFound,*'
            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        "$($missing[0].TargetObject)" | Should -Be 'No such app'
        "$($missingId[0].TargetObject)" | Should -Be "$id"
        "$($notRemoved[0].TargetObject)" | Should -Be 'No such app'
        # The advice is shown once: under the message where PowerShell shows RecommendedAction, else in it.
        $advice = $missing[0].ErrorDetails.RecommendedAction
        ([regex]::Matches(($missing[0] | Out-String -Width 500), [regex]::Escape($advice))).Count | Should -Be 1
        { Get-QrsApp -Name 'No such app' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppNotFound,QlikQrs.Commands.GetQrsAppCommand'
        @(Get-QrsApp).Count | Should -Be 20
    }

    It 'says QrsStreamAmbiguous, with the candidates, where a name matches several streams' {
        $app = @(Get-QrsApp -Published:$false)[0]
        Clear-SandboxRequest
        Publish-QrsApp $app -Stream '*' -Confirm:$false -ErrorVariable ambiguous -ErrorAction SilentlyContinue

        $ambiguous.Count | Should -Be 1
        $ambiguous[0].FullyQualifiedErrorId | Should -Be 'QrsStreamAmbiguous,QlikQrs.Commands.PublishQrsAppCommand'
        "$($ambiguous[0].TargetObject)" | Should -Be '*'
        foreach ($stream in 'Finance', 'Sales', 'Supply') { $ambiguous[0].Exception.Message | Should -BeLike "*'$stream'*" }
        @(Get-SandboxRequest -Method PUT).Count | Should -Be 0
        (Get-QrsApp -Id $app.Id).Published | Should -BeFalse
    }

    It 'refuses a stream piped where an app is expected, and removes nothing' {
        Clear-SandboxRequest
        Get-QrsStream -Name Finance | Remove-QrsApp -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'QrsWrongEntityType,QlikQrs.Commands.RemoveQrsAppCommand'
        $refused[0].Exception.Message | Should -BeLike "*'Finance' is a Stream, not an app*"
        @(Get-SandboxRequest -Method DELETE).Count | Should -Be 0
        @(Get-QrsApp).Count | Should -Be 20
    }

    It 'is ConfirmImpact High on every Remove, so each asks first' {
        $removes = @(Get-Command -Module QlikQrs -Verb Remove)
        $removes.Name | Should -Contain 'Remove-QrsApp'
        $removes.Name | Should -Contain 'Remove-QrsStream'
        foreach ($command in $removes) {
            $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
            "$($command.Name) $($attribute.ConfirmImpact)" | Should -Be "$($command.Name) High"
        }
    }
}

Describe 'Import-QrsApp' {
    It 'uploads several files from the pipeline without their data and publishes them' {
        $folder = New-Folder
        $files = 1..3 | ForEach-Object { New-Qvf -Name "Imported $_ $([guid]::NewGuid())" -Seed $_ -Folder $folder }
        Clear-SandboxRequest

        $apps = @(Get-ChildItem -Path (Join-Path $folder '*.qvf') | Import-QrsApp -Stream Sales -KeepData:$false -Confirm:$false)

        $apps.Count | Should -Be 3
        ($apps.Name | Sort-Object) | Should -Be ($files.BaseName | Sort-Object)
        foreach ($app in $apps) {
            $app | Should -BeOfType 'QlikQrs.Model.App'
            $app.Published | Should -BeTrue
            $app.Stream.Name | Should -Be 'Sales'
            $app.FileSize | Should -Be 200000
        }
        $uploads = @(Get-SandboxRequest -Method POST -Path /qrs/app/upload)
        $uploads.Count | Should -Be 3
        foreach ($upload in $uploads) {
            $upload.query | Should -Match '(\?|&)keepdata=false(&|$)'
            $upload.status | Should -Be 201
        }
        @(Get-SandboxRequest -Method PUT -Path '/qrs/app/*/publish').Count | Should -Be 3
        @(Get-QrsApp -Stream Sales | Where-Object { $apps.Id -contains $_.Id }).Count | Should -Be 3
    }

    It 'keeps the data by default and names the app after the file unless -Name says otherwise' {
        $file = New-Qvf -Name "Kept $([guid]::NewGuid())" -Seed 11
        Clear-SandboxRequest

        $named = Import-QrsApp -Path $file.FullName -Name 'Named on import' -Confirm:$false
        $unnamed = Import-QrsApp $file.FullName -Confirm:$false

        $named.Name | Should -Be 'Named on import'
        $unnamed.Name | Should -Be $file.BaseName
        $named.Published | Should -BeFalse
        foreach ($upload in @(Get-SandboxRequest -Method POST -Path /qrs/app/upload)) { $upload.query | Should -Match '(\?|&)keepdata=true(&|$)' }
    }

    It 'replaces an existing app''s content with -Replace: same id, stream and owner' {
        $target = Import-QrsApp -Path (New-Qvf -Name "Replace target $([guid]::NewGuid())" -Seed 21).FullName -Stream Supply -Confirm:$false
        $newer = New-Qvf -Name "Replace content $([guid]::NewGuid())" -Size 123456 -Seed 22

        $replaced = $newer | Import-QrsApp -Replace $target -Confirm:$false

        $replaced.Id | Should -Be $target.Id
        $replaced.Name | Should -Be $target.Name
        $replaced.Stream.Name | Should -Be 'Supply'
        $replaced.FileSize | Should -Be 123456
        @(Get-QrsApp -Name "$($newer.BaseName)*").Count | Should -Be 0 -Because 'no new app is made'
        $exported = Export-QrsApp $target -Path (Join-Path (New-Folder) 'back.qvf')
        (Get-FileHash -LiteralPath $exported.FullName).Hash | Should -Be (Get-FileHash -LiteralPath $newer.FullName).Hash
    }

    It 'gives back the same bytes: Import -> Publish -> Export' {
        $file = New-Qvf -Name "Round trip $([guid]::NewGuid())" -Size 777777 -Seed 31
        $out = New-Folder

        $app = Import-QrsApp -Path $file.FullName -Confirm:$false
        $published = $app | Publish-QrsApp -Stream Finance -Confirm:$false
        $exported = $published | Export-QrsApp -Path $out

        $published.Id | Should -Be $app.Id
        $published.Stream.Name | Should -Be 'Finance'
        $exported | Should -BeOfType 'System.IO.FileInfo'
        $exported.Name | Should -Be $file.Name
        (Get-FileHash -LiteralPath $exported.FullName).Hash | Should -Be (Get-FileHash -LiteralPath $file.FullName).Hash
        @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @($file.Name) -Because 'no partial file is left beside it'
    }

    It 'says QrsAppFileNotFound for a file that is not there and uploads nothing' {
        Clear-SandboxRequest
        $missing = Join-Path $work 'missing.qvf'
        { Import-QrsApp -Path $missing -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppFileNotFound,QlikQrs.Commands.ImportQrsAppCommand'
        @(Get-SandboxRequest -Method POST).Count | Should -Be 0
    }

    It 'uploads every file a -Path pattern matches, and takes -LiteralPath names as written' {
        $folder = New-Folder
        $tag = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $null = New-Qvf -Name "Wild $tag north" -Folder $folder -Seed 41
        $null = New-Qvf -Name "Wild $tag south" -Folder $folder -Seed 42
        $bracketed = New-Qvf -Name "Wild $tag [2024]" -Folder $folder -Seed 43

        $matched = @(Import-QrsApp -Path (Join-Path $folder "Wild $tag *h.qvf") -Confirm:$false)
        $literal = Import-QrsApp -LiteralPath $bracketed.FullName -Confirm:$false

        ($matched.Name | Sort-Object) | Should -Be @("Wild $tag north", "Wild $tag south")
        $literal.Name | Should -Be "Wild $tag [2024]"
        @(Get-QrsApp -Name "Wild $tag*").Count | Should -Be 3
    }

    It 'refuses a pattern that matches nothing, a path outside the file system, and -Replace with several files; uploads nothing' {
        $folder = New-Folder
        $null = New-Qvf -Name 'one' -Folder $folder
        $null = New-Qvf -Name 'two' -Folder $folder
        Clear-SandboxRequest

        { Import-QrsApp -Path (Join-Path $folder '*.nothing') -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppFileNotFound,QlikQrs.Commands.ImportQrsAppCommand'
        { Import-QrsApp -Path 'Env:\PATH' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsInvalidFilePath,QlikQrs.Commands.ImportQrsAppCommand'
        $err = { Import-QrsApp -Path (Join-Path $folder '*.qvf') -Replace 'Sales dashboard 0001' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppFileAmbiguous,QlikQrs.Commands.ImportQrsAppCommand' -PassThru
        $err.Exception.Message | Should -Match "matches 2: 'one.qvf', 'two.qvf'"
        @(Get-SandboxRequest -Method POST).Count | Should -Be 0
    }
}

Describe 'Export-QrsApp' {
    It 'gives two apps of one name two files, even with -Force, and refuses a second app into one file' {
        $name = "Twin $([guid]::NewGuid())"
        $first = Copy-QrsApp 'Sales dashboard 0001' -Name $name -Confirm:$false
        $second = Copy-QrsApp 'Sales dashboard 0011' -Name $name -Confirm:$false
        $out = New-Folder

        $files = @(Get-QrsApp -Name $name | Export-QrsApp -Path $out -Force)

        $files.Count | Should -Be 2
        @(Get-ChildItem -LiteralPath $out).Count | Should -Be 2
        ($files.AppId | Sort-Object) | Should -Be (@($first.Id, $second.Id) | Sort-Object)
        $files.Name | Should -Contain "$name.qvf"
        $later = $files | Where-Object Name -NE "$name.qvf"
        $later.Name | Should -Be "$name ($($later.AppId)).qvf"

        $single = Join-Path (New-Folder) 'one.qvf'
        $err = $null
        $written = @(Export-QrsApp $name -Path $single -ErrorVariable err -ErrorAction SilentlyContinue)
        $written.Count | Should -Be 1
        $err.FullyQualifiedErrorId | Should -Be 'QrsExportPathInvalid,QlikQrs.Commands.ExportQrsAppCommand'
        $err.Exception.Message | Should -Match 'already holds another app exported by this command'
    }

    It 'writes one file per app into a folder, named after the app, and shows which app each holds' {
        $out = New-Folder
        $apps = @(Get-QrsApp -Stream Finance)

        $files = @($apps | Export-QrsApp -Path $out)

        $files.Count | Should -Be $apps.Count
        ($files.Name | Sort-Object) | Should -Be ($apps | ForEach-Object { "$($_.Name).qvf" } | Sort-Object)
        foreach ($file in $files) {
            $file | Should -BeOfType 'System.IO.FileInfo'
            $file.DirectoryName | Should -Be $out.FullName
            $file.Length | Should -BeGreaterThan 0
            ($apps | Where-Object Id -EQ $file.AppId).Name | Should -Be $file.AppName
        }
        $table = $files[0] | Show-Table
        $table | Should -Match "AppName\s+SizeMB\s+File"
        $table | Should -Match "$([regex]::Escape($files[0].AppName))\s+$([regex]::Escape(('{0:N1}' -f ($files[0].Length / 1MB))))\s+$([regex]::Escape($files[0].FullName))"
    }

    It 'refuses to overwrite a file without -Force, per app, and overwrites with it' {
        $out = New-Folder
        $apps = @(Get-QrsApp -Stream Sales)[0..1]
        $first = @($apps | Export-QrsApp -Path $out)
        $first | ForEach-Object { [System.IO.File]::WriteAllText($_.FullName, 'edited') }
        Clear-SandboxRequest

        $again = @($apps | Export-QrsApp -Path $out -ErrorVariable refused -ErrorAction SilentlyContinue)

        $again.Count | Should -Be 0
        $refused.Count | Should -Be 2
        foreach ($record in $refused) { $record.FullyQualifiedErrorId | Should -Be 'QrsExportPathInvalid,QlikQrs.Commands.ExportQrsAppCommand' }
        ($refused.TargetObject.Id | Sort-Object) | Should -Be ($apps.Id | Sort-Object)
        $first | ForEach-Object { [System.IO.File]::ReadAllText($_.FullName) | Should -Be 'edited' }
        @(Get-SandboxRequest -Method POST).Count | Should -Be 0 -Because 'nothing is asked of QRS for a file that cannot be written'

        $forced = @($apps | Export-QrsApp -Path $out -Force)
        $forced.Count | Should -Be 2
        $forced | ForEach-Object { $_.Length | Should -BeGreaterThan 6 }
    }

    It 'makes an app''s name safe for a file name' {
        $app = Import-QrsApp -Path (New-Qvf -Name "Safe $([guid]::NewGuid())" -Seed 41).FullName -Name 'Q1: Sales/EMEA? <draft>' -Confirm:$false
        $file = $app | Export-QrsApp -Path (New-Folder)
        $file.Name | Should -Be 'Q1_ Sales_EMEA_ _draft_.qvf'
        $file.AppName | Should -Be 'Q1: Sales/EMEA? <draft>'
    }
}

Describe 'Copy-, Set-, Publish-, Start-QrsAppReload and Remove-QrsApp' {
    It 'copies, changes, publishes, replaces, reloads and removes an app' {
        $source = @(Get-QrsApp -Published:$false)[0]
        $name = "Lifecycle $([guid]::NewGuid())"

        $copy = Copy-QrsApp $source -Name $name -Confirm:$false
        $copy.Id | Should -Not -Be $source.Id
        $copy.Name | Should -Be $name
        $copy.Published | Should -BeFalse

        $changed = $copy | Set-QrsApp -Name "$name (edited)" -Description 'Quarter close' -Owner 'CORP\user000003' -PassThru -Confirm:$false
        $changed.Name | Should -Be "$name (edited)"
        $changed.Description | Should -Be 'Quarter close'
        "$($changed.Owner.UserDirectory)\$($changed.Owner.UserId)" | Should -Be 'CORP\user000003'
        $stored = Get-QrsApp -Id $copy.Id
        $stored.Description | Should -Be 'Quarter close'
        $stored.Owner.UserId | Should -Be 'user000003'

        $published = Publish-QrsApp $stored -Stream Finance -Name "$name (published)" -Confirm:$false
        $published.Id | Should -Be $copy.Id
        $published.Published | Should -BeTrue
        $published.Stream.Name | Should -Be 'Finance'
        $published.Name | Should -Be "$name (published)"
        $again = { Publish-QrsApp $published -Stream Sales -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsAppAlreadyPublished,QlikQrs.Commands.PublishQrsAppCommand' -PassThru
        $again.Exception.Message | Should -Match "already published, to the stream 'Finance'"
        $again.ErrorDetails.RecommendedAction | Should -Match 'Publish-QrsApp -Replace'

        $next = Import-QrsApp -Path (New-Qvf -Name "Next $([guid]::NewGuid())" -Size 54321 -Seed 51).FullName -Confirm:$false
        $replaced = Publish-QrsApp $next -Replace $published -Confirm:$false
        $replaced.Id | Should -Be $published.Id
        $replaced.Stream.Name | Should -Be 'Finance'
        $replaced.FileSize | Should -Be 54321
        $backup = Join-Path (New-Folder) 'published.qvf'
        (Get-FileHash -LiteralPath (Export-QrsApp $published -Path $backup).FullName).Hash |
            Should -Be (Get-FileHash -LiteralPath (Export-QrsApp $next -Path (Join-Path (New-Folder) 'next.qvf')).FullName).Hash

        $before = (Get-QrsApp -Id $published.Id).LastReloadTime
        Start-QrsAppReload $published -Confirm:$false
        $after = (Get-QrsApp -Id $published.Id).LastReloadTime
        $after -gt $before | Should -BeTrue
        $after -gt (Get-Date).AddDays(-1) | Should -BeTrue

        Clear-SandboxRequest
        $published, $next | Remove-QrsApp -Confirm:$false
        @(Get-SandboxRequest -Method DELETE -Path '/qrs/app/*').Count | Should -Be 2
        @(Get-QrsApp -Name "$name*").Count | Should -Be 0
        { Get-QrsApp -Id $next.Id -ErrorAction Stop } | Should -Throw -ErrorId 'QrsAppNotFound,QlikQrs.Commands.GetQrsAppCommand'
    }

    It 'says QrsUserNotFound for an owner that does not exist and changes nothing' {
        $app = @(Get-QrsApp)[0]
        { Set-QrsApp $app -Owner 'CORP\nobody' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'QrsUserNotFound,QlikQrs.Commands.SetQrsAppCommand'
        (Get-QrsApp -Id $app.Id).ModifiedDate.Value | Should -Be $app.ModifiedDate.Value
    }
}

Describe '-WhatIf' {
    It 'changes no app and sends no change, and names each app it would change' {
        $app = @(Get-QrsApp -Published:$false)[0]
        $published = @(Get-QrsApp -Published)[0]
        $file = New-Qvf -Name "WhatIf $([guid]::NewGuid())" -Seed 61
        $out = New-Folder
        $state = Get-AppState
        Clear-SandboxRequest

        $said = Get-WhatIfText {
            Import-QrsApp -Path $file.FullName -Stream Finance -WhatIf
            Import-QrsApp -Path $file.FullName -Replace $app -WhatIf
            Export-QrsApp $app -Path $out -WhatIf
            Copy-QrsApp $app -Name 'Copied' -WhatIf
            Publish-QrsApp $app -Stream Finance -WhatIf
            Publish-QrsApp $app -Replace $published -WhatIf
            Set-QrsApp $app -Name 'Renamed' -Description 'd' -Owner 'CORP\user000003' -WhatIf
            Start-QrsAppReload $app -WhatIf
            Remove-QrsApp $app -WhatIf
            Get-QrsApp -Stream Finance | Remove-QrsApp -WhatIf
        }

        Get-AppState | Should -Be $state
        @(Get-ChildItem -LiteralPath $out -Force).Count | Should -Be 0
        @(Get-SandboxRequest | Where-Object method -NE 'GET').Count | Should -Be 0
        $appName = [regex]::Escape("'$($app.Name)' ($($app.Id))")
        foreach ($operation in 'Replace', 'Export', 'Copy', 'Publish', 'Change', 'Reload', 'Remove') {
            $said | Should -Match "What if: Performing the operation `"$operation[^`"]*`" on target `"[^`"]*$appName"
        }
        $said | Should -Match ([regex]::Escape("'$($file.FullName)' as the app '$($file.BaseName)', published to the stream 'Finance'"))
        foreach ($financeApp in Get-QrsApp -Stream Finance) {
            $said | Should -Match "Performing the operation `"Remove`" on target `"the app $([regex]::Escape("'$($financeApp.Name)'"))"
        }
    }

    It 'changes no stream and sends no change' {
        $stream = Get-QrsStream -Name Supply
        $state = Get-StreamState
        Clear-SandboxRequest

        $said = Get-WhatIfText {
            New-QrsStream -Name 'Never made' -WhatIf
            Set-QrsStream $stream -Name 'Renamed' -Owner 'CORP\user000003' -WhatIf
            Remove-QrsStream $stream -WhatIf
        }

        Get-StreamState | Should -Be $state
        @(Get-SandboxRequest | Where-Object method -NE 'GET').Count | Should -Be 0
        $said | Should -Match "Performing the operation `"Create`" on target `"the stream 'Never made'`""
        $said | Should -Match "Performing the operation `"Change name to 'Renamed', owner to CORP\\user000003`" on target `"the stream 'Supply' \($($stream.Id)\)`""
        $said | Should -Match "Performing the operation `"Remove`" on target `"the stream 'Supply' \($($stream.Id)\)`""
    }
}

Describe 'Streams' {
    It 'finds streams by name with wildcards, and says QrsStreamNotFound for a name that matches nothing' {
        @(Get-QrsStream).Name | Should -Be @('Finance', 'Sales', 'Supply')
        @(Get-QrsStream -Name 's*').Name | Should -Be @('Sales', 'Supply')
        @(Get-QrsStream -Name '?ales').Name | Should -Be @('Sales')
        Get-QrsStream -Name Finance | Should -BeOfType 'QlikQrs.Model.Stream'
        (Get-QrsStream -Name Sales | Get-QrsStream).Name | Should -Be 'Sales'
        { Get-QrsStream -Name 'Nowhere' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsStreamNotFound,QlikQrs.Commands.GetQrsStreamCommand'
        { Get-QrsApp -Stream 'Nowhere' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsStreamNotFound,QlikQrs.Commands.GetQrsAppCommand'
    }

    It 'creates, renames, gives another owner and removes a stream' {
        $name = "Stream $([guid]::NewGuid())"
        $stream = New-QrsStream -Name $name -Owner 'EMEA\user000004' -Confirm:$false
        $stream | Should -BeOfType 'QlikQrs.Model.Stream'
        $stream.Owner.UserId | Should -Be 'user000004'
        (Get-QrsStream -Name $name).Id | Should -Be $stream.Id

        $changed = $stream | Set-QrsStream -Name "$name (renamed)" -Owner 'AMER\user000005' -PassThru -Confirm:$false
        $changed.Name | Should -Be "$name (renamed)"
        "$($changed.Owner.UserDirectory)\$($changed.Owner.UserId)" | Should -Be 'AMER\user000005'

        $app = Import-QrsApp -Path (New-Qvf -Name "In stream $([guid]::NewGuid())" -Seed 71).FullName -Stream "$name (renamed)" -Confirm:$false
        $app.Stream.Id | Should -Be $stream.Id
        (Get-QrsApp -Stream $changed).Id | Should -Be $app.Id

        Remove-QrsApp $app -Confirm:$false
        Remove-QrsStream "$name (renamed)" -Confirm:$false
        @(Get-QrsStream -Name "$name*").Count | Should -Be 0
    }

    It 'creates streams named on the pipeline' {
        $names = 1..2 | ForEach-Object { "Piped stream $_ $([guid]::NewGuid())" }
        $streams = @($names | New-QrsStream -Confirm:$false)
        $streams.Name | Should -Be $names
        $streams | Remove-QrsStream -Confirm:$false
        @(Get-QrsStream).Count | Should -Be 3
    }

    It 'refuses an app piped where a stream is expected' {
        Clear-SandboxRequest
        @(Get-QrsApp)[0] | Remove-QrsStream -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -Be 'QrsWrongEntityType,QlikQrs.Commands.RemoveQrsStreamCommand'
        @(Get-SandboxRequest -Method DELETE).Count | Should -Be 0
    }
}

Describe 'Connections' {
    BeforeAll {
        $a = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site-a -UserId site_a -PassThru
        $b = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site-b -UserId site_b -PassThru
    }

    AfterAll {
        # The suite's own connection is the default again.
        $a, $b | Disconnect-QrsServer
    }

    It 'refuses to write an entity through another connection than its own (QrsConnectionMismatch)' {
        $app = Import-QrsApp -Path (New-Qvf -Name "Site A $([guid]::NewGuid())" -Seed 81).FullName -Connection $a -Confirm:$false
        Clear-SandboxRequest

        Set-QrsApp $app -Description 'through b' -Connection $b -Confirm:$false -ErrorVariable mismatch -ErrorAction SilentlyContinue
        $app | Remove-QrsApp -Connection $b -Confirm:$false -ErrorVariable mismatchToo -ErrorAction SilentlyContinue

        foreach ($record in @($mismatch) + @($mismatchToo)) {
            $record.FullyQualifiedErrorId | Should -BeLike 'QrsConnectionMismatch,*'
            $record.Exception.Message | Should -BeLike "*'site-a'*'site-b'*"
        }
        @(Get-SandboxRequest | Where-Object method -NE 'GET').Count | Should -Be 0
        (Get-QrsApp -Id $app.Id).Description | Should -BeNullOrEmpty
    }

    It 'sends an entity back through its own connection, whatever the default' {
        $app = Import-QrsApp -Path (New-Qvf -Name "Own site $([guid]::NewGuid())" -Seed 82).FullName -Connection $a -Confirm:$false
        (Get-QrsConnection -Default).Name | Should -Be 'site-b'
        Clear-SandboxRequest

        $app | Set-QrsApp -Description 'through a' -Confirm:$false
        $app | Publish-QrsApp -Stream Sales -Confirm:$false | Remove-QrsApp -Confirm:$false

        $changes = @(Get-SandboxRequest | Where-Object method -NE 'GET')
        $changes.method | Should -Be @('PUT', 'PUT', 'DELETE')
        foreach ($change in $changes) { $change.user | Should -Be 'UserDirectory=INTERNAL; UserId=site_a' }
    }
}

Describe 'Bulk changes' {
    It 'runs -ThrottleLimit 8 changes at once, with an error for the item that fails and the rest done' {
        $source = @(Get-QrsApp)[0]
        $prefix = "Bulk $([guid]::NewGuid())"
        $copies = @(1..12 | ForEach-Object { $source } | Copy-QrsApp -Name $prefix -ThrottleLimit 8 -Confirm:$false)
        $copies.Count | Should -Be 12
        @($copies.Id | Sort-Object -Unique).Count | Should -Be 12
        @(Get-QrsApp -Name "$prefix*").Count | Should -Be 12

        $missing = [guid]::NewGuid()
        $ids = @($copies[0..5].Id) + $missing + @($copies[6..11].Id)
        $ids | Remove-QrsApp -ThrottleLimit 8 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'QrsAppNotFound,QlikQrs.Commands.RemoveQrsAppCommand'
        "$($failed[0].TargetObject)" | Should -Be "$missing"
        @(Get-QrsApp -Name "$prefix*").Count | Should -Be 0
        (Get-QrsApp -Id $source.Id).Name | Should -Be $source.Name
    }
}

Describe 'Timeouts' {
    It 'ends a stalled answer with QrsTimeout instead of hanging' {
        $slow = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name slow -Timeout 2 -MaxRetries 0 -PassThru
        try {
            $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ stallNext = @{ count = 1; path = '/qrs/app/full' } } -Connection $sandboxAdmin
            Clear-SandboxRequest

            $null = Get-QrsApp -Connection $slow -ErrorVariable stalled -ErrorAction SilentlyContinue

            $stalled.Count | Should -Be 1
            $stalled[0].FullyQualifiedErrorId | Should -Be 'QrsTimeout,QlikQrs.Commands.GetQrsAppCommand'
            $stalled[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $stalled[0].Exception.Message | Should -BeLike '*stopped sending*'
            @(Get-SandboxRequest -Method GET -Path /qrs/app/full).status | Should -Be @(200) -Because 'the answer had begun when it stalled'
            @(Get-QrsApp -Connection $slow).Count | Should -Be @(Get-QrsApp).Count -Because 'the stall was for one answer only'
        }
        finally {
            $slow | Disconnect-QrsServer
        }
    }

    It 'ends a stalled export with QrsTimeout, leaves no partial file and removes the export' {
        $slow = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name slow -Timeout 2 -MaxRetries 0 -PassThru
        try {
            $apps = @(Get-QrsApp -Stream Sales -Connection $slow)[0..1]
            $out = New-Folder
            $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ stallNext = @{ count = 1; path = '/tempcontent/' } } -Connection $sandboxAdmin
            Clear-SandboxRequest

            $files = @($apps | Export-QrsApp -Path $out -ErrorVariable stalled -ErrorAction SilentlyContinue)

            $stalled.Count | Should -Be 1
            $stalled[0].FullyQualifiedErrorId | Should -Be 'QrsTimeout,QlikQrs.Commands.ExportQrsAppCommand'
            $stalled[0].TargetObject.Id | Should -Be $apps[0].Id
            $files.AppId | Should -Be @($apps[1].Id) -Because 'the next app is exported all the same'
            @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @("$($apps[1].Name).qvf")
            @(Get-SandboxRequest -Method DELETE -Path "/qrs/app/$($apps[0].Id)/export/*").Count | Should -Be 1
        }
        finally {
            $slow | Disconnect-QrsServer
        }
    }
}

Describe 'Tab completion' {
    It 'completes app names for -Name and for the identity parameters, quoted' {
        $names = @(Get-QrsApp -Name 'Fin*').Name
        (Get-Completion 'Get-QrsApp -Name Fin').CompletionText | Should -Be ($names | ForEach-Object { "'$_'" })
        (Get-Completion 'Remove-QrsApp -App Fin').CompletionText | Should -Be ($names | ForEach-Object { "'$_'" })
        (Get-Completion 'Export-QrsApp Fin').CompletionText | Should -Be ($names | ForEach-Object { "'$_'" })
        (Get-Completion 'Publish-QrsApp x -Replace Fin').CompletionText | Should -Be ($names | ForEach-Object { "'$_'" })
    }

    It 'completes stream names for -Stream' {
        (Get-Completion 'Publish-QrsApp x -Stream Fi').CompletionText | Should -Be @("'Finance'")
        (Get-Completion 'Get-QrsApp -Stream S').CompletionText | Should -Be @("'Sales'", "'Supply'")
        (Get-Completion 'Import-QrsApp x.qvf -Stream Su').CompletionText | Should -Be @("'Supply'")
        (Get-Completion 'Remove-QrsStream Sa').CompletionText | Should -Be @("'Sales'")
    }

    It 'doubles a quote in a name it completes' {
        $stream = New-QrsStream -Name "O'Brien's $([guid]::NewGuid())" -Confirm:$false
        try {
            (Get-Completion "Get-QrsStream 'O''Br").CompletionText | Should -Be @("'$($stream.Name.Replace("'", "''"))'")
        }
        finally {
            $stream | Remove-QrsStream -Confirm:$false
        }
    }
}
