using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;

namespace QlikQrs.Certificates;

/// <summary>Every certificate error the module raises, with the words that tell the user what to do.</summary>
internal static class CertificateErrors
{
    public static QrsCertificateException FolderNotFound(string folder) => new(
        "QrsCertificateFolderNotFound", ErrorCategory.ObjectNotFound,
        $"The folder '{folder}' does not exist. Give the folder the QMC exported the certificates to, for example " +
        @"'C:\ProgramData\Qlik\Sense\Repository\Exported Certificates\<machine>'.", folder);

    public static QrsCertificateException ExportNotFound(string folder) => new(
        "QrsCertificateExportNotFound", ErrorCategory.ObjectNotFound,
        $"The folder '{folder}' holds no QMC certificate export. Looked for client.pem with client_key.pem " +
        "(and root.pem) from a PEM export, and for client.pfx (and root.cer) from a Windows-format export. " +
        "Export the certificates in the QMC (Certificates > Export), or name the files with -CertificatePath and -KeyPath.", folder);

    public static QrsCertificateException FileNotFound(string path) => new(
        "QrsCertificateFileNotFound", ErrorCategory.ObjectNotFound, $"The file '{path}' does not exist.", path);

    public static QrsCertificateException DanglingLink(string path, string target) => new(
        "QrsCertificateFileNotFound", ErrorCategory.ObjectNotFound,
        $"'{path}' is a symbolic link to '{target}', which does not exist. Point the link at the exported file, or give the file itself.", path);

    public static QrsCertificateException LinkLoop(string path, Exception inner) => new(
        "QrsCertificateFileUnreadable", ErrorCategory.ReadError,
        $"'{path}' is a symbolic link that cannot be followed: its links lead back to themselves (or chain deeper than the system allows). " +
        "Point the link at the exported file, or give the file itself.", path, inner);

    public static QrsCertificateException Unreadable(string path, Exception inner) => new(
        "QrsCertificateFileUnreadable", ErrorCategory.ReadError, $"'{path}' cannot be read: {inner.Message}", path, inner);

    /// <summary>A file or folder this account may not read; <paramref name="kind"/> is "file" or "folder".</summary>
    public static QrsCertificateException AccessDenied(string path, string kind, Exception inner) => new(
        "QrsCertificateAccessDenied", ErrorCategory.PermissionDenied,
        $"This account ({Environment.UserName}) may not read the {kind} '{path}' (permission denied). Give it read access " +
        "(chmod or chown, or the Security tab on Windows), or run as an account that has it.", path, inner);

    /// <summary>A path that is not a regular file: <paramref name="what"/> says what it is, <paramref name="advice"/> what to give.</summary>
    public static QrsCertificateException NotAFile(string path, string what, string advice = GiveAFile) => new(
        "QrsCertificateNotAFile", ErrorCategory.InvalidArgument, $"'{path}' {what}. {advice}", path);

    private const string GiveAFile = "Give a certificate file from the QMC export (client.pem, client_key.pem, root.pem or client.pfx), or the export folder with -Path.";

    public static QrsCertificateException TooLarge(string path, long bytes) => new(
        "QrsCertificateFileTooLarge", ErrorCategory.LimitsExceeded,
        string.Format(CultureInfo.InvariantCulture,
            "'{0}' is {1:N0} bytes: a certificate file from the QMC is a few kilobytes, and QlikQrs reads none past {2:N0}, so this is not one. " +
            "Give client.pem, client_key.pem, root.pem or client.pfx from the QMC export.", path, bytes, CertificateFile.MaximumBytes), path);

    public static QrsCertificateException FileEmpty(string path) => new(
        "QrsCertificateFileEmpty", ErrorCategory.InvalidData,
        $"The file '{path}' is empty. Export the certificates from the QMC again.", path);

    public static QrsCertificateException NotPem(string path, string expected) => new(
        "QrsCertificateNotPem", ErrorCategory.InvalidData,
        $"The file '{path}' holds no PEM block ('-----BEGIN {expected}-----'). Give the PEM file the QMC exported.", path);

    public static QrsCertificateException Corrupt(string path, string what, Exception? inner = null) => new(
        "QrsCertificateCorrupt", ErrorCategory.InvalidData,
        $"The {what} in '{path}' is damaged and cannot be read (truncated, or its base64 or its structure is broken)" +
        (inner is null ? "" : $": {inner.Message}") + ". Export the certificates from the QMC again.", path, inner);

    public static QrsCertificateException NoCertificate(string path) => new(
        "QrsCertificateNotPem", ErrorCategory.InvalidData,
        $"The file '{path}' holds no certificate ('-----BEGIN CERTIFICATE-----'). Give client.pem as -CertificatePath.", path);

    public static QrsCertificateException MultipleCertificates(string path, IEnumerable<X509Certificate2> certificates) => new(
        "QrsCertificateMultipleCertificates", ErrorCategory.InvalidData,
        $"The file '{path}' holds more than one certificate ({string.Join("; ", certificates.Select(c => c.Subject))}), " +
        "so it is not clear which one identifies this client. Keep only the client certificate in the file, " +
        "and give the issuing certificate with -RootPath.", path);

    public static QrsCertificateException KeyNotFound(string path) => new(
        "QrsCertificateKeyNotFound", ErrorCategory.ObjectNotFound,
        $"No private key was found for the certificate in '{path}'. Give the key file (client_key.pem) with -KeyPath.", path);

    public static QrsCertificateException NoPrivateKey(string subject, string? thumbprint) => new(
        "QrsCertificateNoPrivateKey", ErrorCategory.InvalidArgument,
        $"The certificate '{subject}' ({thumbprint}) has no private key, so it cannot authenticate to the QRS. " +
        "Load it from a .pfx with Get-PfxCertificate, or import client.pem with client_key.pem.", thumbprint);

    public static QrsCertificateException KeyMismatch(string keyPath, string certificatePath) => new(
        "QrsCertificateKeyMismatch", ErrorCategory.SecurityError,
        $"The private key in '{keyPath}' does not belong to the certificate in '{certificatePath}'. " +
        "Take client.pem and client_key.pem from the same QMC export.", keyPath);

    public static QrsCertificateException PasswordRequired(string path) => new(
        "QrsCertificatePasswordRequired", ErrorCategory.AuthenticationError,
        $"'{path}' is protected by a password. Give it with -Password (Read-Host -AsSecureString), " +
        "the one entered when the certificates were exported in the QMC.", path);

    /// <summary>A PKCS#12 whose integrity check fails without a password: protected by one, or damaged.</summary>
    public static QrsCertificateException Pkcs12NeedsPassword(string path) => new(
        "QrsCertificatePasswordRequired", ErrorCategory.AuthenticationError,
        $"'{path}' did not open without a password: it is protected by one (give it with -Password, as entered when the certificates " +
        "were exported in the QMC), or the file is damaged (export it again).", path);

    public static QrsCertificateException PasswordInvalid(string path, Exception? inner = null) => new(
        "QrsCertificatePasswordInvalid", ErrorCategory.AuthenticationError,
        $"The password does not open '{path}'. Give the password entered when the certificates were exported in the QMC.", path, inner);

    public static QrsCertificateException UnsupportedKeyAlgorithm(string path, string algorithm) => new(
        "QrsCertificateKeyAlgorithmUnsupported", ErrorCategory.NotImplemented,
        $"The key in '{path}' is {algorithm}; QRS client certificates need an RSA or ECDSA (named curve) key.", path);

    public static QrsCertificateException KdfIterationsTooHigh(string path, long iterations, long limit) => new(
        "QrsCertificateKdfIterationsTooHigh", ErrorCategory.LimitsExceeded,
        string.Format(CultureInfo.InvariantCulture,
            "'{0}' protects its password with {1:N0} key-derivation iterations; QlikQrs derives at most {2:N0} (the QMC uses 2,000, OpenSSL 2,048), " +
            "so that a damaged or hostile file cannot keep an import busy for minutes. If you made this file, export it again with fewer " +
            "iterations (OpenSSL: -iter 100000), or give the PEM files (client.pem, client_key.pem) from the QMC export.",
            path, iterations, limit), path);

    public static QrsCertificateException Disposed(string subject, string thumbprint) => new(
        "QrsCertificateDisposed", ErrorCategory.InvalidOperation,
        $"The certificate '{subject}' ({thumbprint}) was disposed (its Dispose() was called), so its private key is gone. " +
        "Load it again with Import-QrsCertificate.", thumbprint);

    public static QrsCertificateException DisposedX509Certificate() => new(
        "QrsCertificateDisposed", ErrorCategory.InvalidOperation,
        "The X509Certificate2 given was disposed (its Dispose() was called), so it holds no certificate or key any more. " +
        "Load it again (Get-PfxCertificate, Get-Item Cert:\\...), or use Import-QrsCertificate.", null);

    /// <summary>A certificate that cannot identify a client to QRS; <paramref name="what"/> says what it is instead.</summary>
    public static QrsCertificateException NotAClientCertificate(X509Certificate2 certificate, string what) => new(
        "QrsCertificateNotAClientCertificate", ErrorCategory.InvalidArgument,
        $"The certificate '{certificate.Subject}' ({certificate.Thumbprint}) {what}, so QRS would not accept it from a client. " +
        "Give the client certificate of the QMC export: client.pem with client_key.pem, or client.pfx.", certificate.Thumbprint);

    public static QrsCertificateException NotIssuedByRoot(X509Certificate2 client, X509Certificate2 root, string rootSource) => new(
        "QrsCertificateNotIssuedByRoot", ErrorCategory.SecurityError,
        $"The certificate '{client.Subject}' (issuer '{client.Issuer}') was not issued by the root certificate " +
        $"'{root.Subject}' in '{rootSource}'. Take client.pem and root.pem from the same QMC export.", client.Thumbprint);

    public static QrsCertificateException RootNotCertificateAuthority(X509Certificate2 root, string rootSource) => new(
        "QrsCertificateRootNotCA", ErrorCategory.SecurityError,
        $"The root certificate '{root.Subject}' in '{rootSource}' is not a certificate authority (no basic constraint CA:TRUE). " +
        "Give root.pem from the QMC export, not server.pem or client.pem.", rootSource);

    public static QrsCertificateException Expired(X509Certificate2 certificate) => new(
        "QrsCertificateExpired", ErrorCategory.SecurityError,
        string.Format(CultureInfo.InvariantCulture,
            "The certificate '{0}' ({1}) expired on {2:yyyy-MM-dd HH:mm} UTC. Export a current certificate from the QMC " +
            "(a new one is issued when the Qlik Sense certificates are renewed).",
            certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime()), certificate.Thumbprint);

    public static QrsCertificateException NotYetValid(X509Certificate2 certificate) => new(
        "QrsCertificateNotYetValid", ErrorCategory.SecurityError,
        string.Format(CultureInfo.InvariantCulture,
            "The certificate '{0}' ({1}) is not valid before {2:yyyy-MM-dd HH:mm} UTC. Check this machine's clock.",
            certificate.Subject, certificate.Thumbprint, certificate.NotBefore.ToUniversalTime()), certificate.Thumbprint);

    public static string ExpiringSoon(X509Certificate2 certificate, TimeSpan left) => string.Format(CultureInfo.InvariantCulture,
        "The certificate '{0}' ({1}) expires in {2} day(s), on {3:yyyy-MM-dd HH:mm} UTC. Plan to export a renewed certificate from the QMC.",
        certificate.Subject, certificate.Thumbprint, Math.Max(0, (int)left.TotalDays), certificate.NotAfter.ToUniversalTime());

    public static QrsCertificateException StoreNotSupported() => new(
        "QrsCertificateStoreNotSupported", ErrorCategory.NotImplemented,
        "Reading the Windows certificate store is not supported on this platform. Import the QMC export instead: " +
        "Import-QrsCertificate -Path <folder with client.pem, client_key.pem and root.pem>.", null);

    public static QrsCertificateException KeyStorageFailed(Exception userStore, Exception machineStore) => new(
        "QrsCertificateKeyStorageFailed", ErrorCategory.ResourceUnavailable,
        $"Windows could not keep the private key for the TLS handshake, neither in this user's key store ({userStore.Message.Trim()}) " +
        $"nor in the machine's ({machineStore.Message.Trim()}). Run as an account whose user profile is loaded, or install client.pfx " +
        @"in Cert:\LocalMachine\My, give this account read access to its private key, and load it with Import-QrsCertificate -Thumbprint.", null, machineStore);

    public static QrsCertificateException NotFoundInStore(string? thumbprint) => new(
        "QrsCertificateNotFoundInStore", ErrorCategory.ObjectNotFound,
        thumbprint is null
            ? @"No Qlik client certificate (CN=QlikClient with the Qlik marker extension and a private key) is in Cert:\CurrentUser\My or Cert:\LocalMachine\My. " +
              "Run as the Qlik Sense service account, or import the QMC export with -Path."
            : $@"No certificate with thumbprint {thumbprint} and a private key is in Cert:\CurrentUser\My or Cert:\LocalMachine\My.",
        thumbprint);

    public static QrsCertificateException Ambiguous(IEnumerable<(X509Certificate2 Certificate, string Location)> candidates) => new(
        "QrsCertificateAmbiguous", ErrorCategory.InvalidResult,
        "More than one Qlik client certificate is installed, so none was picked:" + Environment.NewLine +
        string.Join(Environment.NewLine, candidates.Select(c => string.Format(CultureInfo.InvariantCulture,
            "  {0}  issued by {1}, expires {2:yyyy-MM-dd}  ({3})", c.Certificate.Thumbprint, c.Certificate.Issuer, c.Certificate.NotAfter, c.Location))) +
        Environment.NewLine + "Choose one with -Thumbprint.", null);

    public static QrsCertificateException LocalExportNotFound(string folder) => new(
        "QrsCertificateLocalNotFound", ErrorCategory.ObjectNotFound,
        $"'{folder}' does not exist, so this machine is not a Qlik Sense node (or the repository has not created its certificates yet). " +
        "Run on the central node, or import an export with -Path.", folder);
}
