#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The Windows PowerShell 5.1 (.NET Framework) paths, against the staged module and the built sandbox QRS: the
# dependency resolver, the loader's refusal of blocked files, and body reads that end on -Timeout and Ctrl+C although
# .NET Framework's response stream ignores cancellation. They skip themselves, saying why, in PowerShell 7, which does
# not load the net472 build; Remove-Module and a new import are checked in both editions. Each case that needs a
# process where nothing of QlikQrs is loaded yet runs in a job (a new powershell.exe).

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    $manifest = (Resolve-Path -LiteralPath $manifestPath).Path
    $moduleBase = Split-Path -Parent $manifest
    $onWindowsPowerShell = $PSVersionTable.PSEdition -eq 'Desktop'

    function Skip-OutsideWindowsPowerShell {
        param([string] $Because = 'PowerShell 7 loads the net8.0 build, which has neither the .NET Framework resolver nor the loader checks')
        if (-not $onWindowsPowerShell) {
            Set-ItResult -Skipped -Because "it is about Windows PowerShell 5.1: $Because"
        }
    }

    # Runs $Script in a job, a new Windows PowerShell process, and returns what it returned.
    function Invoke-InNewProcess {
        param([Parameter(Mandatory)] [scriptblock] $Script, [object[]] $ArgumentList = @())
        Start-Job -ScriptBlock $Script -ArgumentList $ArgumentList | Receive-Job -Wait -AutoRemoveJob
    }

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = $sandbox.Folder
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Remove-Module' {
    It 'leaves the module ready to be imported again and used' {
        Import-Module -Name $manifest -Force
        Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name before-removal
        Remove-Module -Name QlikQrs

        Get-Command -Name Get-QrsApp -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Import-Module -Name $manifest
        Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name after-removal
        @(Get-QrsApp).Count | Should -Be 20
    }
}

Describe 'The dependency resolver of Windows PowerShell 5.1' {
    It 'answers for what the module ships, at or below the version it ships, and only while the module is imported' {
        Skip-OutsideWindowsPowerShell
        $result = Invoke-InNewProcess -ArgumentList $manifest -Script {
            param($manifest)
            $polly = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path -Parent $manifest) 'bin\net472\Polly.Core.dll'))
            # Each request names a version no earlier one did: the runtime remembers what it has resolved.
            function Resolve-Polly([version] $Version) {
                $name = [System.Reflection.AssemblyName]::new($polly.FullName)
                $name.Version = $Version
                try { [System.Reflection.Assembly]::Load($name).GetName().Version.ToString() } catch { 'not found' }
            }

            Import-Module -Name $manifest
            $older = Resolve-Polly '1.0.0.1'
            $newer = Resolve-Polly ([version]::new($polly.Version.Major + 1, 0, 0, 0))
            Remove-Module -Name QlikQrs
            $removed = Resolve-Polly '1.0.0.2'
            Import-Module -Name $manifest
            $again = Resolve-Polly '1.0.0.3'
            [pscustomobject]@{ Shipped = $polly.Version.ToString(); Older = $older; Newer = $newer; Removed = $removed; Again = $again }
        }

        $result.Older | Should -Be $result.Shipped
        $result.Newer | Should -Be 'not found'
        $result.Removed | Should -Be 'not found'
        $result.Again | Should -Be $result.Shipped
    }

    It 'warns on import, naming both versions, when another module has loaded another Microsoft.Extensions.Http, and still works' {
        Skip-OutsideWindowsPowerShell
        $other = Join-Path (Join-Path $work 'Modules') 'OtherModule'
        $null = New-Item -ItemType Directory -Path $other -Force
        # The other module's older copy, compiled in a process of its own so that this one does not load it.
        Invoke-InNewProcess -ArgumentList $other -Script {
            param($folder)
            Add-Type -OutputType Library -OutputAssembly (Join-Path $folder 'Microsoft.Extensions.Http.dll') -TypeDefinition '
                [assembly: System.Reflection.AssemblyVersion("6.0.0.0")]
                namespace OtherModule { public static class Marker { } }'
        }
        Set-Content -LiteralPath (Join-Path $other 'OtherModule.psd1') -Value "@{ ModuleVersion = '1.0.0'; RequiredAssemblies = @('Microsoft.Extensions.Http.dll') }"

        $result = Invoke-InNewProcess -ArgumentList $other, $manifest, $port, $certs -Script {
            param($otherModule, $manifest, $port, $certs)
            Import-Module -Name (Join-Path $otherModule 'OtherModule.psd1')
            $warnings = @(Import-Module -Name $manifest 3>&1 | ForEach-Object { $_.Message })
            Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs
            [pscustomobject]@{ Warnings = $warnings; Apps = @(Get-QrsApp).Count }
        }

        @($result.Warnings).Count | Should -Be 1
        $result.Warnings[0] | Should -BeLike "*Microsoft.Extensions.Http 6.0.0.0 from '*OtherModule\Microsoft.Extensions.Http.dll' (QlikQrs ships *)*"
        $result.Apps | Should -Be 20
    }
}

Describe 'The loader in Windows PowerShell 5.1' {
    It 'imports on this machine''s .NET Framework, 4.7.2 or later (registry Release 461808 and up)' {
        Skip-OutsideWindowsPowerShell
        (Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full').Release | Should -BeGreaterOrEqual 461808
        Invoke-InNewProcess -ArgumentList $manifest -Script { param($manifest) Import-Module -Name $manifest; (Get-Module -Name QlikQrs).Name } |
            Should -Be 'QlikQrs'
    }

    It 'refuses DLLs marked as downloaded, saying to run Unblock-File, and imports them once unblocked' {
        Skip-OutsideWindowsPowerShell
        $downloaded = Join-Path (Join-Path $work 'Downloaded') 'QlikQrs'
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $downloaded) -Force
        Copy-Item -LiteralPath $moduleBase -Destination $downloaded -Recurse
        Get-ChildItem -LiteralPath (Join-Path $downloaded 'bin\net472') -Filter *.dll | ForEach-Object {
            Set-Content -LiteralPath $_.FullName -Stream Zone.Identifier -Value "[ZoneTransfer]`r`nZoneId=3"
        }
        $import = {
            param($manifest)
            try { Import-Module -Name $manifest -ErrorAction Stop; 'imported' }
            catch { [pscustomobject]@{ ErrorId = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
        }

        $blocked = Invoke-InNewProcess -Script $import -ArgumentList (Join-Path $downloaded 'QlikQrs.psd1')
        $blocked.ErrorId | Should -Be 'QrsModuleBlocked,Microsoft.PowerShell.Commands.ImportModuleCommand'
        $blocked.Message | Should -BeLike '*marks its files as downloaded from the internet*-Recurse | Unblock-File*'

        Get-ChildItem -LiteralPath $downloaded -Recurse | Unblock-File
        Invoke-InNewProcess -Script $import -ArgumentList (Join-Path $downloaded 'QlikQrs.psd1') | Should -Be 'imported'
    }
}

Describe 'A stalled body in Windows PowerShell 5.1' {
    BeforeAll {
        $deafStreams = ".NET Framework's response stream ignores cancellation; .NET 8's honours it (the hosted-engine tests cover a stalled body there)"
        if ($onWindowsPowerShell) {
            Import-Module -Name $manifest -Force
            $admin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name stall-admin -PassThru
        }

        # The next GET /qrs/app answers its headers and half its body, then nothing more.
        function Set-StalledBody {
            $null = Invoke-QrsRequest /sandbox/faults -Method POST -Body @{ stallNext = @{ count = 1; path = '/qrs/app' } } -Connection $admin
        }
    }

    It 'ends with QrsTimeout under -Timeout, and the next call works' {
        Skip-OutsideWindowsPowerShell -Because $deafStreams
        $connection = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Timeout 2 -MaxRetries 0 -Name stalled -PassThru
        Set-StalledBody

        $thrown = { Invoke-QrsRequest /qrs/app -Connection $connection -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsTimeout,QlikQrs.Commands.InvokeQrsRequestCommand' -PassThru
        $thrown.Exception.Message | Should -BeLike 'QRS stopped sending the answer to GET /qrs/app: nothing arrived for 2 seconds.*'
        @(Invoke-QrsRequest /qrs/app -Connection $connection).Count | Should -Be 20
    }

    It 'stops on Ctrl+C' {
        Skip-OutsideWindowsPowerShell -Because $deafStreams
        $null = Invoke-QrsRequest /sandbox/requests -Method POST -Body @{ clear = $true } -Connection $admin
        Set-StalledBody
        $stalled = [powershell]::Create()
        try {
            $null = $stalled.AddScript({
                param($manifest, $port, $certs)
                Import-Module -Name $manifest
                Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Timeout 3600 -MaxRetries 0
                Invoke-QrsRequest /qrs/app
            }).AddArgument($manifest).AddArgument($port).AddArgument($certs)
            $running = $stalled.BeginInvoke()

            # Ctrl+C once the answer has started: its status is in the sandbox's log while the body stalls.
            $answering = $false
            for ($wait = 0; $wait -lt 600 -and -not $answering -and -not $running.IsCompleted; $wait++) {
                Start-Sleep -Milliseconds 100
                $answering = [bool](Invoke-QrsRequest /sandbox/requests -Connection $admin |
                        Where-Object { $_.method -eq 'GET' -and $_.path -eq '/qrs/app' -and $_.status })
            }
            $answering | Should -BeTrue
            $stopping = $stalled.BeginStop($null, $null)
            # A guard against a hang, not a measure of speed.
            $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(1)) | Should -BeTrue
            $stalled.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $stalled.Dispose()
        }
    }
}
