@{
    RootModule             = 'QlikQrs.psm1'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f0c9d1e-5a3b-4c47-9e2d-8b1f7a4c3e21'
    Author                 = 'QlikQrs contributors'
    CompanyName            = 'QlikQrs'
    Copyright              = '(c) QlikQrs contributors. MIT License.'
    Description            = 'Manage Qlik Sense Enterprise on Windows through the Qlik Repository Service (QRS) API: certificates from the QMC export, mutual TLS, typed entities, -WhatIf everywhere.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('QlikQrs.Format.ps1xml')
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'Add-QrsTag'
        'Connect-QrsServer'
        'Copy-QrsApp'
        'Disable-QrsTaskTrigger'
        'Disconnect-QrsServer'
        'Enable-QrsTaskTrigger'
        'Export-QrsApp'
        'Get-QrsApp'
        'Get-QrsConnection'
        'Get-QrsCustomPropertyDefinition'
        'Get-QrsEntity'
        'Get-QrsReloadTask'
        'Get-QrsStream'
        'Get-QrsTask'
        'Get-QrsTaskChain'
        'Get-QrsTaskExecution'
        'Get-QrsTaskTrigger'
        'Import-QrsApp'
        'Import-QrsCertificate'
        'Invoke-QrsRequest'
        'New-QrsCustomPropertyDefinition'
        'New-QrsEntity'
        'New-QrsFilter'
        'New-QrsReloadTask'
        'New-QrsStream'
        'New-QrsTaskSchedule'
        'New-QrsTaskTrigger'
        'Publish-QrsApp'
        'Remove-QrsApp'
        'Remove-QrsCustomPropertyDefinition'
        'Remove-QrsEntity'
        'Remove-QrsStream'
        'Remove-QrsTag'
        'Remove-QrsTask'
        'Remove-QrsTaskTrigger'
        'Set-QrsApp'
        'Set-QrsCustomProperty'
        'Set-QrsCustomPropertyDefinition'
        'Set-QrsEntity'
        'Set-QrsOwner'
        'Set-QrsReloadTask'
        'Set-QrsStream'
        'Start-QrsAppReload'
        'Start-QrsTask'
        'Stop-QrsTask'
        'Test-QrsConnection'
        'Wait-QrsTask'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Qlik', 'QlikSense', 'QRS', 'Repository', 'QMC', 'Certificate', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/qlikqrs/QlikQrs'
            LicenseUri   = 'https://github.com/qlikqrs/QlikQrs/blob/main/LICENSE'
            ReleaseNotes = 'See https://github.com/qlikqrs/QlikQrs/blob/main/CHANGELOG.md'
        }
    }
}
