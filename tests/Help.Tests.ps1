#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Mirrors tests/QlikQrs.Tests/Help/*.cs for machines with PowerShell and Pester: Get-Help of every exported cmdlet, as
# the build wrote it into the staged module, checked against the cmdlets themselves. Then every example that is not
# marked 'Needs a real site:' runs as it is written against a seeded sandbox QRS (about_QlikQrs, EXAMPLES IN THIS
# HELP, says what the examples may rely on). Valid in Windows PowerShell 5.1 as well as PowerShell 7.

BeforeDiscovery {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $cmdlets = @(Get-Command -Module QlikQrs -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    $runnable = foreach ($cmdlet in $cmdlets) {
        $number = 0
        foreach ($example in @((Get-Help -Name $cmdlet.Name -Full).examples.example | Where-Object { $_ })) {
            $number++
            $remarks = @($example.remarks | ForEach-Object { $_.Text } | Where-Object { $_ })
            if (-not ($remarks | Where-Object { $_.StartsWith('Needs a real site:') })) {
                @{ Command = $cmdlet.Name; Number = $number; Title = ($example.title -replace '^[-\s]+|[-\s]+$', ''); Code = $example.code }
            }
        }
    }
}

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force
    $realSite = 'Needs a real site:'
    # Get-Help adds the common parameters itself; -WhatIf and -Confirm are the cmdlet's own.
    $commonParameters = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name

    function Get-HelpText($Value) {
        (@($Value) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } } | Where-Object { $_ }) -join "`n"
    }

    function Get-ParameterName($Parameters) {
        @($Parameters | ForEach-Object { $_.Name } | Where-Object { $commonParameters -notcontains $_ } | Sort-Object)
    }
}

Describe 'Help of <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full
        $command = Get-Command -Name $Name -Module QlikQrs -CommandType Cmdlet
        $examples = @($help.examples.example | Where-Object { $_ })
    }

    It 'has a synopsis that is prose, not the syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name*"
        $help.Synopsis | Should -Not -BeLike '*<CommonParameters>*'
    }

    It 'holds no text left to fill in' {
        ($help | Out-String -Width 200) | Should -Not -Match '\{\{'
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has two examples or more, each with code and a sentence saying what it does' {
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because "$Name, $($example.title) needs code"
            $explanation = @($example.remarks | ForEach-Object { $_.Text } | Where-Object { $_ -and -not $_.StartsWith($realSite) })
            $explanation.Count | Should -BeGreaterThan 0 -Because "$Name, $($example.title) needs a sentence saying what it does"
        }
    }

    It 'has an example that runs against the sandbox, and says why the others need a real site' {
        $marked = @($examples | Where-Object { @($_.remarks | Where-Object { $_.Text -and $_.Text.StartsWith($realSite) }).Count -gt 0 })
        $marked.Count | Should -BeLessThan $examples.Count -Because 'one example at least must run against the sandbox'
        foreach ($example in $marked) {
            $last = @($example.remarks | ForEach-Object { $_.Text } | Where-Object { $_ })[-1]
            $last | Should -Match "^$realSite\s*\S.{3,}" -Because "$Name, $($example.title): the mark is the last paragraph and gives the reason"
        }
    }

    It 'describes exactly the parameters of the cmdlet' {
        $inCode = Get-ParameterName $command.Parameters.Values
        $inHelp = Get-ParameterName $help.parameters.parameter
        $undocumented = @($inCode | Where-Object { $inHelp -notcontains $_ })
        $unknown = @($inHelp | Where-Object { $inCode -notcontains $_ })
        "not in the help: $($undocumented -join ', '); in the help but not in the cmdlet: $($unknown -join ', ')" |
            Should -Be 'not in the help: ; in the help but not in the cmdlet: '
        foreach ($parameter in @($help.parameters.parameter)) {
            Get-HelpText $parameter.description | Should -Not -BeNullOrEmpty -Because "$Name -$($parameter.name) needs a description"
        }
    }

    It 'shows the syntax of every parameter set of the cmdlet' {
        $inCode = @($command.ParameterSets | ForEach-Object { (Get-ParameterName $_.Parameters) -join ' ' } | Sort-Object)
        $inHelp = @($help.syntax.syntaxItem | ForEach-Object { (Get-ParameterName ($_.parameter | ForEach-Object { @{ Name = $_.name } })) -join ' ' } | Sort-Object)
        $inHelp | Should -Be $inCode
    }

    It 'names in INPUTS what the cmdlet takes from the pipeline' {
        $byValue = @($command.ParameterSets | ForEach-Object { $_.Parameters } | Where-Object { $_.ValueFromPipeline } | ForEach-Object {
                $type = $_.ParameterType
                if ($type.IsArray) { $type = $type.GetElementType() }
                if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) }
                $type.FullName
            } | Sort-Object -Unique)
        if ($byValue.Count -eq 0) { $byValue = @('None') }
        @($help.inputTypes.inputType | ForEach-Object { $_.type.name } | Sort-Object) | Should -Be $byValue
        foreach ($inputType in @($help.inputTypes.inputType)) {
            Get-HelpText $inputType.description | Should -Not -BeNullOrEmpty -Because "INPUTS $($inputType.type.name) needs a description"
        }
    }

    It 'names in OUTPUTS the types the cmdlet declares' {
        $declared = @($command.OutputType | ForEach-Object { if ($_.Type -eq [void]) { 'None' } elseif ($_.Type) { $_.Type.FullName } else { $_.Name } } | Sort-Object -Unique)
        @($help.returnValues.returnValue | ForEach-Object { $_.type.name } | Sort-Object) | Should -Be $declared
        foreach ($output in @($help.returnValues.returnValue)) {
            Get-HelpText $output.description | Should -Not -BeNullOrEmpty -Because "OUTPUTS $($output.type.name) needs a description"
        }
    }
}

Describe 'about_QlikQrs' {
    It 'is found by Get-Help and is plain text' {
        $topic = Get-Help -Name about_QlikQrs
        $topic.Category | Should -Be 'HelpFile'
        $topic.Synopsis | Should -BeLike 'QlikQrs manages Qlik Sense*'
        $text = "$topic"
        $text | Should -Match 'LONG DESCRIPTION'
        $text | Should -Not -Match '`|\*\*|(?m)^#'
    }
}

Describe 'Runnable example' {
    BeforeAll {
        $sandbox = Start-QrsSandbox -Seed 'users=50,apps=20,streams=3,tasks=5,tags=5'
        $port = $sandbox.Port
        # The examples name the sandbox as the README's quick start runs it: localhost, port 4242 (the QRS port,
        # Connect-QrsServer's default with a certificate), certificates in ./sandbox/certs. This sandbox listens on a
        # free port instead, which the examples get as -Port's default when they give a host or a certificate.
        $testPort = { param($Binding) if ($Binding.BoundParameters.Contains('ComputerName') -or $Binding.BoundParameters.Contains('CertificatePath')) { $port } }.GetNewClosure()
        $site = Join-Path $TestDrive 'site'
        New-Item -ItemType Directory -Path (Join-Path $site 'sandbox') -Force | Out-Null
        Copy-Item -LiteralPath $sandbox.Certificates -Destination (Join-Path $site 'sandbox/certs') -Recurse
        Push-Location -LiteralPath $site
    }

    AfterAll {
        Pop-Location
        Stop-QrsSandbox $sandbox
    }

    # The connection every example may rely on, as about_QlikQrs says; no example sees another's connections.
    BeforeEach {
        Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath ./sandbox/certs
    }

    AfterEach {
        Get-QrsConnection | Disconnect-QrsServer
    }

    It '<Command>, <Title>' -ForEach $runnable {
        $PSDefaultParameterValues = @{ 'Connect-QrsServer:Port' = $port; 'Test-QrsConnection:Port' = $testPort }
        # Non-terminating errors fail the example too; nothing may wait for an answer at a prompt.
        $ErrorActionPreference = 'Stop'
        $ConfirmPreference = 'None'
        try {
            $null = & ([scriptblock]::Create($Code))
        }
        catch {
            throw "docs/en-US/$Command.md, example $Number ('$Title') failed: $($_.Exception.Message)"
        }
    }
}
