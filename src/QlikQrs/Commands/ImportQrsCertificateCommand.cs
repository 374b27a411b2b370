using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using QlikQrs.Certificates;

namespace QlikQrs.Commands;

/// <summary>
/// Loads the client certificate, its key and the root that Connect-QrsServer needs: from a QMC export folder (PEM or
/// Windows format), from named files, from this Qlik node's own copy, from the Windows certificate store, or from
/// an X509Certificate2 the user already has.
/// </summary>
[Cmdlet(VerbsData.Import, "QrsCertificate", DefaultParameterSetName = StoreSet)]
[OutputType(typeof(QrsCertificate))]
public sealed class ImportQrsCertificateCommand : PSCmdlet
{
    private const string FolderSet = "Folder";
    private const string FilesSet = "Files";
    private const string LocalSet = "Local";
    private const string StoreSet = "Store";
    private const string CertificateSet = "Certificate";

    /// <summary>The folder the QMC exported to: client.pem, client_key.pem and root.pem, or client.pfx and root.cer.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FolderSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>The certificate file: PEM (it may hold the key as well), DER, or a .pfx/.p12.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string CertificatePath { get; set; } = null!;

    /// <summary>The private key file, when it is not in the certificate file.</summary>
    [Parameter(ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The root certificate (root.pem or root.cer) that the site's certificates chain to.</summary>
    [Parameter(ParameterSetName = FilesSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    public string? RootPath { get; set; }

    /// <summary>Loads this Qlik node's own certificates (%ProgramData%\Qlik\Sense\Repository\Exported Certificates\.Local Certificates).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LocalSet)]
    public SwitchParameter Local { get; set; }

    /// <summary>
    /// The thumbprint of a certificate in Cert:\CurrentUser\My or Cert:\LocalMachine\My. Without it, the one Qlik
    /// client certificate installed there is used (Windows only).
    /// </summary>
    [Parameter(ParameterSetName = StoreSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Thumbprint { get; set; }

    /// <summary>A certificate with its private key that the user already holds (Get-PfxCertificate, Get-Item Cert:\...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    public X509Certificate2 Certificate { get; set; } = null!;

    /// <summary>The password of the export, when one was entered in the QMC.</summary>
    [Parameter(ParameterSetName = FolderSet)]
    [Parameter(ParameterSetName = FilesSet)]
    [Parameter(ParameterSetName = LocalSet)]
    public SecureString? Password { get; set; }

    protected override void ProcessRecord()
    {
        DateTime now = DateTime.UtcNow;
        using Password password = Certificates.Password.From(Password);
        QrsCertificate certificate;
        try
        {
            certificate = ParameterSetName switch
            {
                FolderSet => QrsCertificateLoader.FromFolder(Resolve(Path), password, now),
                FilesSet => QrsCertificateLoader.FromFiles(Resolve(CertificatePath), ResolveOrNull(KeyPath), ResolveOrNull(RootPath), password, now),
                LocalSet => QrsCertificateLoader.FromLocalNode(password, now),
                CertificateSet => QrsCertificateLoader.FromCertificate(Certificate, ResolveOrNull(RootPath), now),
                _ => QrsCertificateLoader.FromStore(Thumbprint, now),
            };
        }
        catch (QrsCertificateException exception)
        {
            WriteError(exception.ToErrorRecord());
            return;
        }
        catch (QrsCommandException exception)
        {
            WriteError(exception.ErrorRecord);
            return;
        }

        WriteVerbose($"Loaded {certificate} from {certificate.Source}; root: {certificate.RootSubject ?? "none (the operating system's trust store will decide)"}.");
        if (certificate.KeyStorageNote is string keyStorage)
        {
            WriteVerbose(keyStorage);
        }

        string? warning = CertificateChecks.ExpiryWarning(certificate.Certificate, now);
        if (warning is not null)
        {
            WriteWarning(warning);
        }

        WriteObject(certificate);
    }

    // Relative paths are relative to the PowerShell location, not the process directory.
    private string Resolve(string path) => FileSystemPaths.Resolve(SessionState, path);

    private string? ResolveOrNull(string? path) => path is null ? null : Resolve(path);
}
