#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tasks as an administrator runs them at a prompt and from a scheduled script, against a seeded sandbox QRS whose task
# runs are arranged through its admin endpoint (POST /sandbox/tasks): lists and their view, Start-QrsTask -Wait on
# success and failure, timeouts, script logs, several starts in one call, stops.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    $work = New-Item -ItemType Directory -Path (Join-Path $sandbox.Folder 'work')

    $sandboxAdmin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name sandbox-admin -PassThru
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site

    # How the next runs of a task end and how long they take.
    function Set-TaskRun {
        param([Parameter(Mandatory)] [string] $Name, [bool] $Succeed = $true, [int] $Milliseconds = 500)
        $null = Invoke-QrsRequest /sandbox/tasks -Method POST -Body @{ name = $Name; succeed = $Succeed; durationMilliseconds = $Milliseconds } -Connection $sandboxAdmin
    }

    function Get-SandboxRequest {
        param([string] $Method, [string] $Path = '*')
        Invoke-QrsRequest /sandbox/requests -Connection $sandboxAdmin |
            Where-Object { (-not $Method -or $_.method -eq $Method) -and $_.path -like $Path }
    }

    function Clear-SandboxRequest {
        $null = Invoke-QrsRequest /sandbox/requests -Method POST -Body @{ clear = $true } -Connection $sandboxAdmin
    }

    function Show-Table {
        $input | Format-Table | Out-String -Width 250
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Get-QrsTask' {
    It 'finds tasks by name with wildcards, and reload tasks by app' {
        $all = @(Get-QrsTask)
        $all.Count | Should -BeGreaterThan 0
        $reload = @(Get-QrsReloadTask -Name 'reload TASK 000?')
        $reload.Count | Should -BeGreaterThan 0
        $reload | ForEach-Object { $_ | Should -BeOfType 'QlikQrs.Model.ReloadTask' }

        $first = $reload[0]
        (Get-QrsTask -App $first.App.Name).Name | Should -Contain $first.Name
        (Get-QrsTask -Id $first.Id).Name | Should -Be $first.Name
        { Get-QrsTask -Name 'No such task' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsTaskNotFound*'
    }

    It 'shows the last status by name, start and stop in local time with seconds, and the duration' {
        Set-TaskRun -Name 'Reload task 0001' -Succeed $false -Milliseconds 1200
        $null = Start-QrsTask 'Reload task 0001' -Wait -ErrorAction SilentlyContinue
        $task = Get-QrsTask 'Reload task 0001'
        $last = $task.Operational.LastExecutionResult

        $table = $task | Show-Table
        $table | Should -Match 'LastStatus'
        $table | Should -Match 'FinishedFail'
        $table | Should -Match ([regex]::Escape($last.StartTime.LocalTime.ToString('yyyy-MM-dd HH:mm:ss')))
        $table | Should -Match ([regex]::Escape($last.StopTime.LocalTime.ToString('yyyy-MM-dd HH:mm:ss')))
        $table | Should -Match '00:00:0[1-9]'
        (Get-QrsTask -Status FinishedFail).Name | Should -Contain 'Reload task 0001'
    }
}

Describe 'Start-QrsTask -Wait' {
    It 'outputs the finished run: status by name, times, duration, node' {
        # Not 0001 or 0002: their success starts the next task of a seeded chain, which the tests below start themselves.
        Set-TaskRun -Name 'Reload task 0004' -Milliseconds 700
        $run = Start-QrsTask 'Reload task 0004' -Wait

        $run | Should -BeOfType 'QlikQrs.Tasks.QrsTaskExecution'
        $run.Status | Should -Be 'FinishedSuccess'
        $run.Duration | Should -BeGreaterThan ([timespan]::Zero)
        $run.StopTime | Should -BeGreaterThan $run.StartTime
        ($run | Show-Table) | Should -Match 'FinishedSuccess'
    }

    It 'outputs a failed run and then writes QrsTaskFailed with the end of the script log' {
        Set-TaskRun -Name 'Reload task 0003' -Succeed $false
        $errors = $null
        $run = Start-QrsTask 'Reload task 0003' -Wait -ErrorVariable errors -ErrorAction SilentlyContinue

        $run.Status | Should -Be 'FinishedFail'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'QrsTaskFailed*'
        $errors[0].Exception.Message | Should -Match 'script log ends'
        $log = Get-QrsTaskExecution 'Reload task 0003' -Last 1 -ScriptLog
        $lastLine = @($log -split "`r?`n" | Where-Object { $_ })[-1]
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($lastLine.Trim()))
    }

    It 'makes a scheduled script exit non-zero with the reason when the reload fails' {
        Set-TaskRun -Name 'Reload task 0004' -Succeed $false
        $script = Join-Path $work 'nightly.ps1'
        Set-Content -LiteralPath $script -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifestPath'
Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath '$certs'
Start-QrsTask 'Reload task 0004' -Wait -Timeout 600
"@
        # The executable of this PowerShell: in $PSHOME, since pwsh as a .NET tool runs in a process named dotnet.
        $pwsh = @('pwsh.exe', 'pwsh', 'powershell.exe' | ForEach-Object { Join-Path $PSHOME $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf })[0]
        $said = & $pwsh -NoProfile -NonInteractive -File $script 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $said | Should -Match 'ended FinishedFail'

        Set-TaskRun -Name 'Reload task 0004' -Succeed $true
        $null = & $pwsh -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Be 0
    }

    It 'ends the wait with QrsTaskWaitTimeout and leaves the task running' {
        Set-TaskRun -Name 'Reload task 0005' -Milliseconds 8000
        { Start-QrsTask 'Reload task 0005' -Wait -Timeout 1 -ErrorAction Stop } | Should -Throw -ErrorId 'QrsTaskWaitTimeout*'
        $running = Get-QrsTaskExecution 'Reload task 0005' -Last 1
        $running.IsFinished | Should -BeFalse

        Stop-QrsTask 'Reload task 0005' -Confirm:$false
        $stopped = Wait-QrsTask -ExecutionId $running.ExecutionId -ErrorAction SilentlyContinue
        $stopped.Status | Should -Be 'Aborted'
    }
}

Describe 'Several tasks, script logs and -WhatIf' {
    It 'starts several tasks in one start/many call' {
        Set-TaskRun -Name 'Reload task 0001' -Milliseconds 300
        Set-TaskRun -Name 'Reload task 0002' -Milliseconds 300
        Clear-SandboxRequest
        Start-QrsTask 'Reload task 0001', 'Reload task 0002'
        @(Get-SandboxRequest -Method POST -Path '/qrs/task/start/many').Count | Should -Be 1
        $runs = @(Get-QrsTask 'Reload task 0001', 'Reload task 0002' | Wait-QrsTask -ErrorAction SilentlyContinue)
        $runs.Count | Should -Be 2
        $runs.IsFinished | Should -Not -Contain $false
    }

    It 'saves a run''s script log to a file' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $work 'logs')
        $file = Get-QrsTaskExecution 'Reload task 0002' -Last 1 -ScriptLog -OutFile $folder.FullName
        $file | Should -BeOfType 'System.IO.FileInfo'
        Get-Content -LiteralPath $file.FullName -Raw | Should -Be (Get-QrsTaskExecution 'Reload task 0002' -Last 1 -ScriptLog)
    }

    It 'starts and stops nothing with -WhatIf' {
        Clear-SandboxRequest
        Start-QrsTask 'Reload task 0001' -Wait -WhatIf
        Stop-QrsTask 'Reload task 0001' -WhatIf
        @(Get-SandboxRequest -Method POST).Count | Should -Be 0
    }

    It 'completes task names' {
        $line = 'Start-QrsTask Reload'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain "'Reload task 0001'"
    }
}

Describe 'New-QrsReloadTask, Set-QrsReloadTask and Remove-QrsTask' {
    It 'creates a task with a schedule and a task event in one call, and the chain A -> B runs' {
        Clear-SandboxRequest
        $schedule = New-QrsTaskSchedule -Frequency Daily -At '03:15' -TimeZone 'Europe/Paris'
        $task = New-QrsReloadTask -App 'Sales dashboard 0001' -Name 'Pester chain B' -Schedule $schedule -OnSuccessOf 'Reload task 0001' -TimeoutMinutes 45 -MaxRetries 1
        $task.TaskSessionTimeout | Should -Be 45
        @(Get-SandboxRequest -Method POST).path | Should -Be @('/qrs/reloadtask/create')

        $triggers = Get-QrsTaskTrigger 'Pester chain B'
        ($triggers | Where-Object Kind -eq 'Schedule').Description | Should -Be 'Daily at 03:15 (Europe/Paris)'
        ($triggers | Where-Object Kind -eq 'Schedule').NextExecution | Should -BeOfType [datetime]
        ($triggers | Where-Object Kind -eq 'TaskEvent').Description | Should -BeLike "On success of 'Reload task 0001'*"
        ($triggers | Show-Table) | Should -Match 'Daily at 03:15'

        Set-TaskRun -Name 'Reload task 0001' -Milliseconds 300
        (Start-QrsTask 'Reload task 0001' -Wait).Status | Should -Be 'FinishedSuccess'
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Get-QrsTaskExecution 'Pester chain B') -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
        (Wait-QrsTask 'Pester chain B').Status | Should -Be 'FinishedSuccess'
    }

    It 'changes a reload task and removes a task with its triggers' {
        $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Pester to remove' -Schedule (New-QrsTaskSchedule -Frequency Hourly)
        $changed = Set-QrsReloadTask 'Pester to remove' -Enabled:$false -MaxRetries 3 -PassThru
        $changed.Enabled | Should -BeFalse
        $changed.MaxRetries | Should -Be 3
        $id = $changed.Id

        Remove-QrsTask 'Pester to remove' -WhatIf
        @(Get-QrsTaskTrigger 'Pester to remove').Count | Should -Be 1
        Remove-QrsTask 'Pester to remove' -Confirm:$false
        Get-QrsEntity schemaevent -Filter "reloadTask.id eq $id" -Count | Should -Be 0
        { Get-QrsTask -Id $id -ErrorAction Stop } | Should -Throw -ErrorId 'QrsTaskNotFound*'
    }
}

Describe 'Triggers and chains' {
    It 'adds a weekly schedule that Get-QrsTaskTrigger shows with its next execution, then disables and removes it' {
        $trigger = New-QrsTaskSchedule 'Reload task 0003' Weekly -DaysOfWeek Tuesday -At '05:45' -TimeZone UTC -Name 'Pester weekly'
        $trigger.Description | Should -Be 'Weekly on Tuesday at 05:45 (UTC)'
        $trigger.NextExecution.ToUniversalTime().DayOfWeek | Should -Be 'Tuesday'
        (Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly').Id | Should -Be $trigger.Id

        Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly' | Disable-QrsTaskTrigger
        (Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly').Enabled | Should -BeFalse
        (Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly').NextExecution | Should -BeNullOrEmpty
        Enable-QrsTaskTrigger 'Reload task 0003' 'Pester weekly'
        $enabled = Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly'
        $enabled.Enabled | Should -BeTrue
        $enabled.NextExecution.ToUniversalTime().DayOfWeek | Should -Be 'Tuesday'
        Remove-QrsTaskTrigger 'Reload task 0003' 'Pester weekly' -Confirm:$false
        @(Get-QrsTaskTrigger 'Reload task 0003' 'Pester weekly').Count | Should -Be 0
    }

    It 'shows a chain as a tree and names its cycle' {
        $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Loop A'
        $null = New-QrsReloadTask -App 'Sales dashboard 0011' -Name 'Loop B' -OnSuccessOf 'Loop A'
        $null = New-QrsTaskTrigger 'Loop A' -OnSuccessOf 'Loop B' -Within '00:30:00'
        $warnings = $null
        $links = Get-QrsTaskChain 'Loop A' -WarningVariable warnings -WarningAction SilentlyContinue

        $text = $links | Out-String -Width 200
        $text | Should -Match 'Loop A'
        $text | Should -Match '└─ on success → Loop B'
        $text | Should -Match '\(cycle: Loop A -> Loop B -> Loop A\)'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'Loop A -> Loop B -> Loop A'
    }
}
