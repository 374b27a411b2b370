# Loads the build of QlikQrs that fits this PowerShell. Only core commands are used here: the module must import in
# any session, including a constrained runspace that has nothing but Microsoft.PowerShell.Core.

$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core

if ($PSVersionTable.PSEdition -eq 'Core') {
    # PowerShell 7: QlikQrs and its dependencies go into a load context of their own, so that other modules'
    # versions of Microsoft.Extensions.*, BouncyCastle and the like cannot clash with ours. Only the tiny
    # dependency-free loader sits in the default context.
    $binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0')
    if (-not ('QlikQrs.LoadContext.ModuleLoadContext' -as [type])) {
        $null = [System.Runtime.Loader.AssemblyLoadContext]::Default.LoadFromAssemblyPath(
            [System.IO.Path]::Combine($binPath, 'QlikQrs.LoadContext.dll'))
    }
    $moduleAssembly = [QlikQrs.LoadContext.ModuleLoadContext]::Initialize([System.IO.Path]::Combine($binPath, 'QlikQrs.dll'))
    $innerModule = & $importModule -Assembly $moduleAssembly -PassThru
}
else {
    $innerModule = & $importModule -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'QlikQrs.dll')) -PassThru
}

# Import-Module -Force finds the binary module already loaded and does not hand its cmdlets to this script module
# again (PowerShell/PowerShell#20710), so they are added to this module's exports explicitly.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
    'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}
