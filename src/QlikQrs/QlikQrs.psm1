# Loads the build of QlikQrs that fits this PowerShell. Only core commands are used here: the module must import in
# any session, including a constrained runspace that has nothing but Microsoft.PowerShell.Core. Valid in Windows
# PowerShell 5.1.

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
    # Windows PowerShell 5.1. The net472 build needs .NET Framework 4.7.2 (registry Release 461808) or later; on an
    # older one it would load and then fail inside the first command that uses what 4.7.2 added.
    $frameworkKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full'
    $release = [Microsoft.Win32.Registry]::GetValue($frameworkKey, 'Release', 0)
    if (-not ($release -ge 461808)) {
        throw [System.Management.Automation.ErrorRecord]::new(
            [System.PlatformNotSupportedException]::new(
                "QlikQrs needs .NET Framework 4.7.2 or later in Windows PowerShell, and this machine has an older one " +
                "(Release $release in $frameworkKey; 4.7.2 is 461808). Install .NET Framework 4.8, or use PowerShell 7.4 or later."),
            'QrsNetFrameworkTooOld', [System.Management.Automation.ErrorCategory]::NotInstalled, $release)
    }

    $binPath = [System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net472')
    try {
        $moduleAssembly = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($binPath, 'QlikQrs.dll'))
    }
    catch {
        # 0x80131515: .NET Framework does not load an assembly it counts as remote, which is what the mark of a
        # download makes of a file (the Zone.Identifier stream a browser or mail program adds; extracting a zip
        # hands it on to every file), or a file on a network share.
        $remote = $false
        for ($exception = $_.Exception; $exception; $exception = $exception.InnerException) {
            $remote = $remote -or $exception.HResult -eq -2146233067
        }
        if (-not $remote) { throw }
        throw [System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileLoadException]::new(
                "Windows PowerShell does not load QlikQrs from '$binPath': Windows marks its files as downloaded from the internet, " +
                "or they are on a network share. Unblock them with: Get-ChildItem -LiteralPath '$PSScriptRoot' -Recurse | Unblock-File " +
                '(then start a new session: this one remembers the refusal); on a share, copy the module to a local module folder.',
                $_.Exception),
            'QrsModuleBlocked', [System.Management.Automation.ErrorCategory]::SecurityError, $binPath)
    }

    # The resolver is hooked before PowerShell reflects over the cmdlets, which can already bind dependencies, and
    # stays while any runspace has the module imported.
    $conflictWarning = [QlikQrs.NetFrameworkDependencyResolver]::Register()
    try {
        $innerModule = & $importModule -Assembly $moduleAssembly -PassThru -ErrorAction Stop
    }
    catch {
        [QlikQrs.NetFrameworkDependencyResolver]::Unregister()
        throw
    }
    $ExecutionContext.SessionState.Module.OnRemove = { [QlikQrs.NetFrameworkDependencyResolver]::Unregister() }

    if ($conflictWarning) {
        # Written as a cmdlet writes a warning: Write-Warning is not a core command.
        & {
            [CmdletBinding()]
            param([string] $Text)
            $PSCmdlet.WriteWarning($Text)
        } $conflictWarning
    }
}

# Import-Module -Force finds the binary module already loaded and does not hand its cmdlets to this script module
# again (PowerShell/PowerShell#20710), so they are added to this module's exports explicitly.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
    'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}
