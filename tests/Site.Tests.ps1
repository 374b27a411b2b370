#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The site as an administrator manages it at a prompt, against a seeded sandbox QRS (a central and a rim node, their
# services, the default and a SAML virtual proxy): the build, nodes and their registration, the service status view,
# virtual proxies and their links to proxy services, SAML metadata and the certificate export.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $work = New-Item -ItemType Directory -Path (Join-Path $sandbox.Folder 'work')
    Connect-QrsServer -ComputerName localhost -Port $sandbox.Port -CertificatePath $sandbox.Certificates -Name site

    function Show-Table {
        $input | Format-Table | Out-String -Width 250
    }

    function Get-ProxyPrefix {
        param([Parameter(Mandatory)] [string] $Node)
        (Get-QrsEntity -Type ProxyService -Full -Filter "serverNodeConfiguration.name eq '$Node'").Settings.VirtualProxies.Prefix
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Get-QrsAbout and Get-QrsNode' {
    It 'shows the build and the nodes, the central one and the local one' {
        (Get-QrsAbout).BuildVersion | Should -Be '38.22.0.0'
        (Get-QrsNode).Name | Should -Be @('Central', 'Rim 1')
        (Get-QrsNode -Central).Name | Should -Be 'Central'
        (Get-QrsNode -Local).Id | Should -Be (Get-QrsNode -Central).Id
        { Get-QrsNode 'No such node' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsNodeNotFound*'
    }
}

Describe 'Get-QrsServiceStatus' {
    It 'shows node, service, status by name and heartbeat in one view, and what is down' {
        $statuses = @(Get-QrsServiceStatus)
        $statuses.Count | Should -Be 10
        $table = $statuses | Show-Table
        $table | Should -Match 'Node\s+HostName\s+Service\s+Status\s+Checked\s+LastHeartbeat'
        $table | Should -Match 'Rim 1\s+qlik-rim1\s+Printing\s+NoCommunication'
        $table | Should -Match ([regex]::Escape($statuses[0].LastHeartbeat.LocalTime.ToString('yyyy-MM-dd HH:mm:ss')))

        $down = @(Get-QrsServiceStatus | Where-Object Status -ne 'Running')
        $down.Count | Should -Be 1
        "$($down.Node) $($down.Service)" | Should -Be 'Rim 1 Printing'
        (Get-QrsNode Central | Get-QrsServiceStatus).Status | Sort-Object -Unique | Should -Be 'Running'
    }
}

Describe 'Register-QrsNode' {
    It 'adds the node with the services asked for and shows the registration password once' {
        $registration = Register-QrsNode -HostName qlik-rim5.example.com -Name 'Rim 5' -Service Engine -FailoverCandidate
        $registration.Password | Should -Match '^[A-Za-z0-9]{12}$'
        ($registration | Show-Table) | Should -Match 'Rim 5\s+qlik-rim5.example.com\s+\S{12}'
        @((Get-QrsServiceStatus -Node 'Rim 5').Service | ForEach-Object ToString | Sort-Object) | Should -Be @('Engine', 'Repository')
        (Get-QrsNode 'Rim 5').FailoverCandidate | Should -BeTrue

        (Register-QrsNode -Node 'Rim 5' -Confirm:$false).Password | Should -Not -Be $registration.Password
        Register-QrsNode -HostName whatif.example.com -WhatIf
        Get-QrsNode -Filter "hostName eq 'whatif.example.com'" | Should -BeNullOrEmpty
    }
}

Describe 'Virtual proxies' {
    It 'lists them by prefix, the default one shown as such' {
        $table = Get-QrsVirtualProxy | Show-Table
        $table | Should -Match '\(default\)\s+Central Proxy \(Default\)\s+Ticket'
        (Get-QrsVirtualProxy -Prefix 'sa*').AuthenticationMethod | Should -Be 'SAML'
        { Get-QrsVirtualProxy -Prefix nothere -ErrorAction Stop } | Should -Throw -ErrorId 'QrsVirtualProxyNotFound*'
    }

    It 'creates, changes, links and unlinks one' {
        $proxy = New-QrsVirtualProxy -Prefix partners -Description 'Partner portal' -HeaderName X-Partner -HeaderUserDirectory PARTNERS -ProxyService Central
        $proxy.SessionCookieHeaderName | Should -Be 'X-Qlik-Session-partners'
        Get-ProxyPrefix Central | Should -Contain 'partners'

        (Set-QrsVirtualProxy $proxy -SessionInactivityTimeout 120 -PassThru).SessionInactivityTimeout | Should -Be 120
        $proxy | Add-QrsProxyVirtualProxy -ProxyService 'Rim 1'
        Get-ProxyPrefix 'Rim 1' | Should -Contain 'partners'

        Remove-QrsProxyVirtualProxy -ProxyService Central, 'Rim 1' -VirtualProxy partners -Confirm:$false
        Get-ProxyPrefix Central | Should -Not -Contain 'partners'
        Get-ProxyPrefix 'Rim 1' | Should -Not -Contain 'partners'
        (Get-QrsVirtualProxy -Prefix partners).Id | Should -Be $proxy.Id
    }
}

Describe 'Export-QrsSamlMetadata' {
    It 'saves the SP metadata of the SAML virtual proxy' {
        $file = Export-QrsSamlMetadata -VirtualProxy saml -Path $work.FullName
        $file.Name | Should -Be 'saml_metadata_sp.xml'
        ([xml](Get-Content -LiteralPath $file.FullName -Raw)).EntityDescriptor.entityID | Should -Be 'https://localhost/saml'
        { Export-QrsSamlMetadata -VirtualProxy saml -Path $work.FullName -ErrorAction Stop } | Should -Throw -ErrorId 'QrsExportPathInvalid*'
    }
}

Describe 'Export-QrsCertificate' {
    It 'exports for each machine and says where QRS wrote it' {
        $exports = @(Export-QrsCertificate -MachineName client01, client02 -Format Pem -IncludeCa)
        $exports.MachineName | Should -Be @('client01', 'client02')
        foreach ($export in $exports) {
            Join-Path $export.Path 'client.pem' | Should -Exist
            Join-Path $export.Path 'root.pem' | Should -Exist
        }

        ($exports | Show-Table) | Should -Match 'client01\s+Pem\s+True'
    }
}

Describe 'Set-QrsCentralNode' {
    It 'asks first, and -WhatIf changes nothing' {
        Set-QrsCentralNode 'Rim 1' -WhatIf
        (Get-QrsNode -Central).Name | Should -Be 'Central'
        (Get-Command Set-QrsCentralNode).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
    }
}
