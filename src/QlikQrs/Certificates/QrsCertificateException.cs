using System;
using System.Management.Automation;

namespace QlikQrs;

/// <summary>
/// A certificate could not be used: the file, key, password, root or validity is wrong. <see cref="ErrorId"/> names
/// the case (for example <c>QrsCertificateKeyMismatch</c>) and the message says what to do about it. Messages never
/// hold key material or passwords.
/// </summary>
public sealed class QrsCertificateException : Exception
{
    public QrsCertificateException(string errorId, ErrorCategory category, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>The specific error, for example <c>QrsCertificatePasswordInvalid</c>.</summary>
    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>The file, folder or thumbprint the error is about.</summary>
    public object? Target { get; }

    public ErrorRecord ToErrorRecord() => new(this, ErrorId, Category, Target);
}
