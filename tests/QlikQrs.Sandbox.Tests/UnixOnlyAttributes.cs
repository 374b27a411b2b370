using System;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>A fact about POSIX signals, which Windows does not send between processes.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "POSIX signals: Windows has no kill(2) for another process; the standard input test covers a Windows host.";
        }
    }
}

/// <summary>A theory about POSIX signals, which Windows does not send between processes.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "POSIX signals: Windows has no kill(2) for another process; the standard input test covers a Windows host.";
        }
    }
}
