using System.Collections.Generic;
using System.Management.Automation;

namespace QlikQrs;

/// <summary>
/// The error ids of QRS calls and the one category each has, so that a script that switches on either sees the same
/// case the same way every time.
/// </summary>
public static class QrsErrorIds
{
    private static readonly Dictionary<string, ErrorCategory> s_categories = new()
    {
        ["QrsBadRequest"] = ErrorCategory.InvalidArgument,
        ["QrsUnauthorized"] = ErrorCategory.AuthenticationError,
        ["QrsLoginPageReturned"] = ErrorCategory.AuthenticationError,
        ["QrsForbidden"] = ErrorCategory.PermissionDenied,
        ["QrsNotFound"] = ErrorCategory.ObjectNotFound,
        ["QrsConflict"] = ErrorCategory.ResourceExists,
        ["QrsTooManyRequests"] = ErrorCategory.LimitsExceeded,
        ["QrsServerError"] = ErrorCategory.InvalidResult,
        ["QrsRequestFailed"] = ErrorCategory.InvalidResult,
        ["QrsUnexpectedResponse"] = ErrorCategory.InvalidResult,
        ["QrsTimeout"] = ErrorCategory.OperationTimeout,
        ["QrsResponseIncomplete"] = ErrorCategory.ConnectionError,
        ["QrsConnectionRefused"] = ErrorCategory.ConnectionError,
        ["QrsConnectionFailed"] = ErrorCategory.ConnectionError,
        ["QrsClientCertificateRefused"] = ErrorCategory.SecurityError,
        ["QrsServerCertificateUntrusted"] = ErrorCategory.SecurityError,
        ["QrsServerCertificateMissing"] = ErrorCategory.SecurityError,
        ["QrsServerNameMismatch"] = ErrorCategory.SecurityError,
        ["QrsTlsFailed"] = ErrorCategory.SecurityError,
        ["QrsForeignUrl"] = ErrorCategory.SecurityError,
        ["QrsInvalidPath"] = ErrorCategory.InvalidArgument,
        ["QrsUrlTooLong"] = ErrorCategory.InvalidArgument,
        ["QrsFileWriteFailed"] = ErrorCategory.WriteError,

        // A connection's own state (certs branch).
        ["QrsConnectionClosed"] = ErrorCategory.InvalidOperation,
        ["QrsClientCertificateDisposed"] = ErrorCategory.InvalidOperation,
    };

    /// <summary>Every id a QRS call can fail with.</summary>
    public static IReadOnlyCollection<string> All => s_categories.Keys;

    public static ErrorCategory CategoryOf(string errorId) =>
        s_categories.TryGetValue(errorId, out ErrorCategory category)
            ? category
            : throw new KeyNotFoundException($"'{errorId}' is not a QRS call error id; add it to {nameof(QrsErrorIds)}.");
}
