# The built sandbox QRS as a child process that stops cleanly, for the Pester suites (tests/Common.ps1) and
# build.ps1 -Task Demo. Valid in Windows PowerShell 5.1 and PowerShell 7.

# Starts `dotnet <assembly> <arguments> --stop-on-stdin-close` and returns once the sandbox says where it listens,
# which it does after seeding. The sandbox itself is the process started (`dotnet <assembly>` runs in-process), so it
# can be stopped by its own process; closing its standard input stops it, and so does this PowerShell ending.
function Start-SandboxProcess {
    param([Parameter(Mandatory)] [string] $Assembly, [string[]] $Arguments = @())
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    # One quoted string rather than ArgumentList, which .NET Framework (Windows PowerShell 5.1) lacks.
    $start.Arguments = (@($Assembly) + $Arguments + '--stop-on-stdin-close' | ForEach-Object { '"{0}"' -f $_ }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $errors = $process.StandardError.ReadToEndAsync()

    $started = New-Object System.Collections.Generic.List[string]
    $deadline = [DateTime]::UtcNow.AddMinutes(2)
    $ready = $false
    while (-not $ready) {
        $remaining = $deadline - [DateTime]::UtcNow
        if ($remaining -le [TimeSpan]::Zero) { break }
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait($remaining) -or $null -eq $line.Result) { break }
        $started.Add($line.Result)
        $ready = $line.Result -match 'listening on'
    }
    if (-not $ready) {
        if (-not $process.HasExited) { $process.Kill() }
        $null = $errors.Wait(5000)
        throw "The sandbox QRS did not start: $($errors.Result) $($started -join ' ')"
    }

    # Drained in the background, so that the sandbox never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    [pscustomobject]@{ Process = $process; Errors = $errors; Started = $started.ToArray() }
}

# Closes the sandbox's standard input and waits for it to stop; kills it only when it does not, and then fails.
function Stop-SandboxProcess {
    param([Parameter(Mandatory)] $Sandbox)
    $process = $Sandbox.Process
    try {
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(10000)) {
            $process.Kill()
            throw "The sandbox QRS (process $($process.Id)) did not stop within 10 seconds of its standard input closing; it was killed."
        }
        if ($process.ExitCode -ne 0) {
            $null = $Sandbox.Errors.Wait(5000)
            throw "The sandbox QRS stopped with exit code $($process.ExitCode): $($Sandbox.Errors.Result)"
        }
    }
    finally {
        $process.Dispose()
    }
}
