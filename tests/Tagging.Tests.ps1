#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tags, custom properties and owners on entities of every kind, and removal by filter, as an administrator uses them
# against a seeded sandbox QRS with a thousand apps; what was sent is read back from the sandbox's request log.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox -Seed 'users=50,apps=1000,streams=3,tasks=5,tags=5'
    $port = $sandbox.Port
    $certs = $sandbox.Certificates

    $sandboxAdmin = Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name sandbox-admin -PassThru
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site

    function Get-SandboxRequest {
        param([string] $Method, [string] $Path = '*')
        Invoke-QrsRequest /sandbox/requests -Connection $sandboxAdmin |
            Where-Object { (-not $Method -or $_.method -eq $Method) -and $_.path -like $Path }
    }

    function Clear-SandboxRequest {
        $null = Invoke-QrsRequest /sandbox/requests -Method POST -Body @{ clear = $true } -Connection $sandboxAdmin
    }

    function Get-Value {
        param($Entity, [string] $Definition)
        @($Entity.CustomProperties | Where-Object { $_.Definition.Name -eq $Definition } | ForEach-Object Value | Sort-Object)
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Add-QrsTag and Remove-QrsTag' {
    It 'tags an app, a stream, a user and a task by tag name, and takes tags off by pattern' {
        $app = Copy-QrsApp 'Sales dashboard 0001' -Name 'Pester tagged' | Add-QrsTag 'Sales-001', 'HR-003' -PassThru
        $stream = New-QrsStream 'Pester stream' | Add-QrsTag 'Supply-002' -PassThru
        $user = Get-QrsEntity -Type User -Where @{ userId = 'user000005' } | Add-QrsTag 'Marketing-004' -PassThru
        $task = Get-QrsTask 'Reload task 0005' | Add-QrsTag 'Operations-005' -PassThru

        $app.Tags.Name | Sort-Object | Should -Be 'HR-003', 'Sales-001'
        $stream.Tags.Name | Should -Be 'Supply-002'
        $user.Tags.Name | Should -Contain 'Marketing-004'
        $task.Tags.Name | Should -Contain 'Operations-005'
        ($app | Remove-QrsTag 'S*' -PassThru -Confirm:$false).Tags.Name | Should -Be 'HR-003'
    }

    It 'refuses a tag that does not exist, and creates it once with -Force' {
        $apps = 1..3 | ForEach-Object { Copy-QrsApp 'HR dashboard 0003' -Name "Pester force $_" }
        { $apps | Add-QrsTag 'Pester new tag' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsTagNotFound*'

        $apps | Add-QrsTag 'Pester new tag' -Force -ThrottleLimit 3

        Get-QrsEntity -Type Tag -Where @{ name = 'Pester new tag' } -Count | Should -Be 1
        (Get-QrsApp -Tag 'Pester new tag').Count | Should -Be 3
    }
}

Describe 'Set-QrsCustomProperty' {
    It 'replaces, appends and removes values, and keeps the tags and the description' {
        $app = Copy-QrsApp 'Sales dashboard 0001' -Name 'Pester valued' | Add-QrsTag 'Sales-001' -PassThru
        Set-QrsApp $app -Description 'Stays'

        $app | Set-QrsCustomProperty Department Finance
        $saved = $app | Set-QrsCustomProperty Department sales -Append -PassThru
        Get-Value $saved Department | Should -Be 'Finance', 'Sales'
        $saved = $app | Set-QrsCustomProperty Department Finance -Remove -PassThru
        Get-Value $saved Department | Should -Be 'Sales'
        $saved.Description | Should -Be 'Stays'
        $saved.Tags.Name | Should -Be 'Sales-001'
    }

    It 'refuses a value outside the choices and a definition for another kind, naming what is allowed' {
        Clear-SandboxRequest
        $refused = { Get-QrsApp 'Sales dashboard 0001' | Set-QrsCustomProperty Criticality Urgent -ErrorAction Stop } |
            Should -Throw -ErrorId 'QrsCustomPropertyValueNotAllowed*' -PassThru
        $refused.ErrorDetails.Message | Should -Match "'Low', 'Medium', 'High'"

        $wrongKind = $null
        Get-QrsStream Finance | Set-QrsCustomProperty Criticality High -ErrorAction SilentlyContinue -ErrorVariable wrongKind
        $wrongKind[0].FullyQualifiedErrorId | Should -BeLike 'QrsCustomPropertyNotApplicable*'
        $wrongKind[0].ErrorDetails.Message | Should -Match 'it applies to App'
        Get-SandboxRequest -Method PUT | Should -BeNullOrEmpty
    }
}

Describe 'Custom property definitions' {
    It 'creates one, adds a choice, finds it by kind and removes it' {
        $definition = New-QrsCustomPropertyDefinition 'Pester centre' -ObjectType App, Stream -ChoiceValue 'CC-1'
        $grown = $definition | Set-QrsCustomPropertyDefinition -AddChoice 'CC-2' -PassThru

        $grown.ChoiceValues | Should -Be 'CC-1', 'CC-2'
        (Get-QrsCustomPropertyDefinition -ObjectType Stream).Name | Should -Contain 'Pester centre'
        { New-QrsCustomPropertyDefinition 'pester CENTRE' -ObjectType App -ErrorAction Stop } | Should -Throw -ErrorId 'QrsConflict*'

        $definition | Remove-QrsCustomPropertyDefinition -Confirm:$false
        { Get-QrsCustomPropertyDefinition 'Pester centre' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsCustomPropertyDefinitionNotFound*'
    }
}

Describe 'Set-QrsOwner' {
    It 'gives a stream and an app the owner DIR\userid' {
        $stream = New-QrsStream 'Pester owned' | Set-QrsOwner 'CORP\user000003' -PassThru
        $app = Copy-QrsApp 'Sales dashboard 0001' -Name 'Pester owned app' | Set-QrsOwner 'EMEA\user000004' -PassThru

        '{0}\{1}' -f $stream.Owner.UserDirectory, $stream.Owner.UserId | Should -Be 'CORP\user000003'
        '{0}\{1}' -f $app.Owner.UserDirectory, $app.Owner.UserId | Should -Be 'EMEA\user000004'
    }
}

Describe 'A thousand apps through the pipeline' {
    It 'tags every seeded app and gives it a Department value, eight at a time' {
        $apps = Get-QrsApp -Filter "name so 'dashboard'"
        $apps.Count | Should -BeGreaterOrEqual 1000

        $saved = $apps | Add-QrsTag 'Pester audit' -Force -ThrottleLimit 8 -PassThru | Set-QrsCustomProperty Department Finance -Append -ThrottleLimit 8 -PassThru

        $saved.Count | Should -Be $apps.Count
        Get-QrsEntity -Type App -Filter "tags.name eq 'Pester audit'" -Count | Should -Be $apps.Count
        Get-QrsEntity -Type App -Filter "customProperties.value eq 'Finance'" -Count | Should -Be $apps.Count
    }
}

Describe 'Remove by filter' {
    It 'removes every match with one DELETE, says how many, and sends no DELETE under -WhatIf' {
        1..25 | ForEach-Object { Copy-QrsApp 'Supply dashboard 0002' -Name "Pester bulk $_" } | Out-Null
        Clear-SandboxRequest

        Remove-QrsApp -Filter "name sw 'Pester bulk'" -WhatIf
        Get-SandboxRequest -Method DELETE | Should -BeNullOrEmpty

        $said = Remove-QrsApp -Filter "name sw 'Pester bulk'" -Confirm:$false -Verbose 4>&1
        ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Performing the operation "Remove" on target "25 apps matching name sw ''Pester bulk''".'
        @(Get-SandboxRequest -Method DELETE).path | Should -Match '^/qrs/selection/[0-9a-f-]{36}(/app)?$'
        @(Get-SandboxRequest -Method DELETE).Count | Should -Be 2
        Get-QrsEntity -Type App -Filter "name sw 'Pester bulk'" -Count | Should -Be 0
    }

    It 'removes tags, streams and tasks by filter too' {
        New-QrsStream 'Pester bulk stream' | Out-Null
        1..5 | ForEach-Object { @{ name = "Pester scratch $_" } } | New-QrsEntity tag -Many | Out-Null

        Remove-QrsEntity -Type Tag -Filter "name sw 'Pester scratch'" -Confirm:$false
        Remove-QrsStream -Filter "name eq 'Pester bulk stream'" -Confirm:$false
        Remove-QrsTask -Filter "name eq 'Reload task 0005'" -Confirm:$false

        Get-QrsEntity -Type Tag -Filter "name sw 'Pester scratch'" -Count | Should -Be 0
        Get-QrsEntity -Type Stream -Where @{ name = 'Pester bulk stream' } -Count | Should -Be 0
        { Get-QrsTask 'Reload task 0005' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsTaskNotFound*'
    }
}
