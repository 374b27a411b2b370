# The versions of the PowerShell modules build.ps1 installs for itself, in one place.
@{
    'Microsoft.PowerShell.PlatyPS' = '1.0.1'
}
