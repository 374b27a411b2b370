using System;

namespace QlikQrs;

/// <summary>What Test-QrsConnection found: whether /qrs/about answered, and if not, why, in words.</summary>
public sealed class QrsConnectionTest
{
    public bool Success { get; internal set; }

    public Uri Server { get; internal set; } = null!;

    public QrsAuthentication Authentication { get; internal set; }

    public string User { get; internal set; } = string.Empty;

    public string? QrsVersion { get; internal set; }

    /// <summary>The error id of the failure (QrsClientCertificateRefused, QrsServerNameMismatch, ...), or null.</summary>
    public string? ErrorId { get; internal set; }

    /// <summary>What went wrong and what to do about it; "Connected." when nothing did.</summary>
    public string Diagnosis { get; internal set; } = string.Empty;

    public TimeSpan Elapsed { get; internal set; }

    public override string ToString() => $"{Server}: {Diagnosis}";
}
