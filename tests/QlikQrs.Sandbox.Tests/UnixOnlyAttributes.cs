using System;
using Xunit;

namespace QlikQrs.Sandbox.Tests;

/// <summary>A fact about something only Unix has; on Windows it is skipped, with <c>whyNotOnWindows</c> as the reason.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute(string whyNotOnWindows)
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = whyNotOnWindows;
        }
    }
}

/// <summary>A theory about something only Unix has; on Windows it is skipped, with <c>whyNotOnWindows</c> as the reason.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute(string whyNotOnWindows)
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = whyNotOnWindows;
        }
    }
}
