using System.Management.Automation;

namespace QlikQrs;

/// <summary>What PowerShell shows of a QlikQrs error: the message, and the advice once.</summary>
internal static class QrsErrorDetails
{
    public static ErrorDetails For(string message, string? advice) =>
#if NETFRAMEWORK
        // Windows PowerShell does not show RecommendedAction, so the advice stays in the text it shows.
        new(advice is null ? message : message + " " + advice) { RecommendedAction = advice ?? string.Empty };
#else
        // PowerShell 7 shows RecommendedAction on a line of its own under this text.
        new(message) { RecommendedAction = advice ?? string.Empty };
#endif
}
