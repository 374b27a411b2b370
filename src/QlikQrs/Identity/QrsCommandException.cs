using System;
using System.Management.Automation;

namespace QlikQrs;

/// <summary>
/// An error that is not a failed call: a name that matches nothing or several, an entity of the wrong kind, a
/// connection that does not fit. Carries the ErrorRecord PowerShell shows, with its own id, category and target.
/// </summary>
public sealed class QrsCommandException : Exception
{
    public QrsCommandException(string errorId, ErrorCategory category, string message, object? target, string? advice = null)
        : base(advice is null ? message : message + " " + advice)
    {
        ErrorRecord = new ErrorRecord(this, errorId, category, target)
        {
            ErrorDetails = QrsErrorDetails.For(message, advice),
        };
    }

    public ErrorRecord ErrorRecord { get; }

    public string ErrorId => ErrorRecord.FullyQualifiedErrorId;
}
