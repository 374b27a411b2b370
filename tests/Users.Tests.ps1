#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Users, user directories, licenses and the access audit as an administrator works with them at a prompt and from a
# scheduled clean-up script, against a seeded sandbox QRS: users by DIR\userid, roles, a directory sync waited for,
# allocations unused for 90 days removed, and an audit that tells an administrator and a plain user apart.

BeforeAll {
    . "$PSScriptRoot/Common.ps1"
    Import-Module -Name $manifestPath -Force

    $sandbox = Start-QrsSandbox
    $port = $sandbox.Port
    $certs = $sandbox.Certificates
    Connect-QrsServer -ComputerName localhost -Port $port -CertificatePath $certs -Name site

    function Show-Table {
        $input | Format-Table | Out-String -Width 250
    }
}

AfterAll {
    Stop-QrsSandbox $sandbox
}

Describe 'Users' {
    It 'finds users by DIR\userid with wildcards, by directory and by role, and shows their roles' {
        $corp = @(Get-QrsUser 'CORP\user00001*')
        $corp.Count | Should -BeGreaterThan 0
        $corp.UserDirectory | Sort-Object -Unique | Should -Be 'CORP'
        (Get-QrsUser -Directory LDAP -Role RootAdmin).UserId | Should -Be 'admin'
        Get-QrsUser 'LDAP\admin' | Show-Table | Should -Match 'LDAP\s+admin\s+Site Administrator.*RootAdmin'
        { Get-QrsUser 'CORP\nobody' -ErrorAction Stop } | Should -Throw -ErrorId 'QrsUserNotFound*'
    }

    It 'creates a user with roles, changes them and removes the user' {
        $user = New-QrsUser 'CORP\pester' -Name 'Pester User' -Role ContentAdmin
        $user.Roles | Should -Be 'ContentAdmin'
        (Set-QrsUser 'CORP\pester' -AddRole SecurityAdmin -RemoveRole ContentAdmin -PassThru).Roles | Should -Be 'SecurityAdmin'
        Get-QrsUser 'CORP\pester' | Remove-QrsUser -Confirm:$false
        Get-QrsUser 'CORP\pester*' | Should -BeNullOrEmpty
    }
}

Describe 'User directories' {
    It 'lists the directories with their sync state' {
        (Get-QrsUserDirectory).Name | Sort-Object | Should -Be 'AMER', 'CORP', 'EMEA', 'INTERNAL', 'LDAP'
        Get-QrsUserDirectory LDAP | Show-Table | Should -Match 'LDAP\s+GenericLDAP\s+Idle'
    }

    It 'waits for a sync and reports the users it added, changed and removed' {
        $result = Sync-QrsUserDirectory LDAP -Wait -Timeout 60 -Confirm:$false
        $result.UserDirectory | Should -Be 'LDAP'
        @($result.Added).Count | Should -Be 1
        @($result.Changed).Count | Should -Be 1
        @($result.Removed).Count | Should -Be 1
        (Get-QrsUser -Directory LDAP -Inactive).UserId | Should -Contain $result.Removed[0].UserId
        $result | Show-Table | Should -Match 'LDAP\s+1\s+1\s+1'
    }

    It 'removes a directory with its users only with -IncludeUsers' {
        $null = New-QrsEntity userdirectory @{ name = 'PESTER'; userDirectoryName = 'PESTER'; type = 'Repository.UserDirectoryConnectors.ADSI.ActiveDirectory' }
        $null = 'PESTER\one', 'PESTER\two' | New-QrsUser
        Remove-QrsUserDirectory PESTER -IncludeUsers -WhatIf
        @(Get-QrsUser -Directory PESTER).Count | Should -Be 2
        Remove-QrsUserDirectory PESTER -IncludeUsers -Confirm:$false
        Get-QrsUser -Directory PESTER | Should -BeNullOrEmpty
        { Get-QrsUserDirectory PESTER -ErrorAction Stop } | Should -Throw -ErrorId 'QrsUserDirectoryNotFound*'
    }
}

Describe 'Licenses' {
    It 'shows the license without its key and refuses a wrong control number without showing it' {
        $license = Get-QrsLicense
        $license.Serial | Should -Be '9999000000001234'
        $license.Key | Should -BeNullOrEmpty
        $control = ConvertTo-SecureString '31337' -AsPlainText -Force
        $verbose = Set-QrsLicense -Serial 9999000000001234 -Control $control -Confirm:$false -Verbose -ErrorVariable refused -ErrorAction SilentlyContinue 4>&1 | Out-String
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'QrsBadRequest*'
        ($refused[0] | Format-List * -Force | Out-String) + $refused[0].Exception.Trace + $verbose | Should -Not -Match '31337|control='
        $right = ConvertTo-SecureString '00560' -AsPlainText -Force
        (Set-QrsLicense -Serial 9999000000001234 -Control $right -Confirm:$false -PassThru).Serial | Should -Be '9999000000001234'
    }

    It 'finds professional allocations unused for 90 days and removes them, leaving the others' {
        $cutoff = (Get-Date).AddDays(-90)
        $stale = @(Get-QrsLicenseAllocation -Type Professional -InactiveSince $cutoff)
        $stale.Count | Should -BeGreaterThan 0
        $stale | ForEach-Object { $_.LastUsed -lt $cutoff | Should -BeTrue }
        $before = (Get-QrsAccessTypeOverview | Where-Object AccessType -EQ Professional).Allocated
        $stale | Show-Table | Should -Match 'Professional\s+\S+\\\S+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
        Get-QrsLicenseAllocation -Type Professional -InactiveSince $cutoff | Remove-QrsLicenseAllocation -Confirm:$false
        Get-QrsLicenseAllocation -Type Professional -InactiveSince $cutoff | Should -BeNullOrEmpty
        (Get-QrsAccessTypeOverview | Where-Object AccessType -EQ Professional).Allocated | Should -Be ($before - $stale.Count)
        Get-QrsLicenseAllocation -Type Professional | Should -Not -BeNullOrEmpty
    }
}

Describe 'Access audit' {
    It 'tells an administrator and a plain user apart' {
        $admin = @(Get-QrsAccessAudit -User 'LDAP\admin')
        $plain = @(Get-QrsAccessAudit -User 'LDAP\ldapuser001')
        $admin.Count | Should -Be @(Get-QrsApp).Count
        $plain.Count | Should -BeLessThan $admin.Count
        $plain.Actions | Sort-Object -Unique | Should -Be 'Read'
        Get-QrsAccessAudit -User 'LDAP\ldapuser001' -Action Delete | Should -BeNullOrEmpty
        $admin | Show-Table | Should -Match 'LDAP\\admin\s+App\s+.*Delete.*RootAdmin'
    }

    It 'shows the privileges of the connection''s user on an entity' {
        $privileges = Get-QrsApp 'Sales dashboard 0001' | Get-QrsPrivilege
        $privileges.Privileges | Should -Contain 'update'
        $privileges | Show-Table | Should -Match 'App\s+Sales dashboard 0001\s+INTERNAL\\sa_api'
    }
}
