using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using QlikQrs.Certificates;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>The parameters that describe a QRS and how to authenticate to it, shared by Connect- and Test-QrsConnection.</summary>
public abstract class QrsConnectCmdletBase : QrsAsyncCmdlet
{
    protected const string CertificateSet = "Certificate";
    protected const string CertificatePathSet = "CertificatePath";
    protected const string WindowsSet = "Windows";
    protected const string HeaderSet = "Header";
    protected const string JwtSet = "Jwt";

    /// <summary>The node; on a Qlik node the host in Host.cfg, otherwise localhost.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? ComputerName { get; set; }

    /// <summary>4242 (QRS) for certificates, 443 (proxy) for Windows, header and JWT authentication.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>The virtual proxy prefix, for connections through the proxy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VirtualProxy { get; set; }

    /// <summary>The client certificate: a QrsCertificate from Import-QrsCertificate, or an X509Certificate2 with its key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipeline = true)]
    public QrsCertificate Certificate { get; set; } = null!;

    /// <summary>A QMC export folder, loaded as Import-QrsCertificate -Path would.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string CertificatePath { get; set; } = null!;

    /// <summary>The password of the export in -CertificatePath.</summary>
    [Parameter(ParameterSetName = CertificatePathSet)]
    public System.Security.SecureString? CertificatePassword { get; set; }

    /// <summary>X-Qlik-User's directory for certificate connections.</summary>
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string UserDirectory { get; set; } = "INTERNAL";

    /// <summary>X-Qlik-User's user id for certificate connections.</summary>
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string UserId { get; set; } = "sa_api";

    /// <summary>X-Qlik-Security: ManagementAccess (what the QMC uses) or AppAccess (what the hub uses).</summary>
    [Parameter]
    public QrsSecurityContext? Context { get; set; }

    /// <summary>Windows authentication through a virtual proxy: the current user, or -Credential.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WindowsSet)]
    public SwitchParameter UseWindowsAuthentication { get; set; }

    [Parameter(ParameterSetName = WindowsSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Header authentication: the header the virtual proxy reads the user id from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HeaderSet)]
    [ValidateNotNullOrEmpty]
    public string HeaderName { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = HeaderSet)]
    [ValidateNotNullOrEmpty]
    public string HeaderValue { get; set; } = null!;

    /// <summary>A JWT the virtual proxy accepts, sent as a bearer token.</summary>
    [Parameter(Mandatory = true, ParameterSetName = JwtSet)]
    [ValidateNotNullOrEmpty]
    public string Jwt { get; set; } = null!;

    /// <summary>The root (root.pem or root.cer) the server's certificate must chain to, when the certificate does not bring it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrustedRoot { get; set; }

    /// <summary>Accepts a server certificate that does not name the host; it must still chain to the root.</summary>
    [Parameter]
    public SwitchParameter SkipHostnameCheck { get; set; }

    /// <summary>Accepts any server certificate. Anyone between this machine and the server can then read and change the calls.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Seconds to wait for QRS to answer a call.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 100;

    /// <summary>How often a call that is safe to repeat is retried on 429, 502, 503, 504 or a dropped connection.</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; } = 3;

    private protected QrsConnectionSettings BuildSettings()
    {
        QrsCertificate? certificate = ParameterSetName switch
        {
            CertificateSet => Usable(Certificate),
            CertificatePathSet => LoadCertificate(),
            _ => null,
        };
        X509Certificate2? root = TrustedRoot is null ? certificate?.Root : ReadRoot(TrustedRoot);
        bool direct = certificate is not null;
        if (SkipCertificateCheck)
        {
            WriteWarning("-SkipCertificateCheck: the server's certificate is not checked at all. Anyone between this machine and the server can read and change these calls.");
        }
        else if (SkipHostnameCheck)
        {
            WriteWarning("-SkipHostnameCheck: the server's certificate need not name the host; it must still chain to the root.");
        }

        return new QrsConnectionSettings
        {
            ComputerName = ComputerName ?? DefaultComputerName(),
            Port = Port != 0 ? Port : direct ? 4242 : 443,
            VirtualProxy = VirtualProxy,
            Authentication = ParameterSetName switch
            {
                WindowsSet => QrsAuthentication.Windows,
                HeaderSet => QrsAuthentication.Header,
                JwtSet => QrsAuthentication.Jwt,
                _ => QrsAuthentication.Certificate,
            },
            Certificate = certificate,
            TrustedRoot = root,
            SkipHostnameCheck = SkipHostnameCheck,
            SkipCertificateCheck = SkipCertificateCheck,
            UserDirectory = UserDirectory,
            UserId = UserId,
            SecurityContext = Context,
            Credentials = Credential?.GetNetworkCredential(),
            HeaderName = ParameterSetName == HeaderSet ? HeaderName : null,
            HeaderValue = ParameterSetName == HeaderSet ? HeaderValue : null,
            Jwt = ParameterSetName == JwtSet ? Jwt : null,
            Timeout = TimeSpan.FromSeconds(Timeout),
            MaxRetries = MaxRetries,
        };
    }

    private QrsCertificate LoadCertificate()
    {
        using Password password = Password.From(CertificatePassword);
        try
        {
            QrsCertificate certificate = QrsCertificateLoader.FromFolder(FileSystemPaths.Resolve(SessionState, CertificatePath, nameof(CertificatePath)), password, DateTime.UtcNow);
            if (certificate.KeyStorageNote is string keyStorage)
            {
                WriteVerbose(keyStorage);
            }

            if (CertificateChecks.ExpiryWarning(certificate.Certificate, DateTime.UtcNow) is string warning)
            {
                WriteWarning(warning);
            }

            return certificate;
        }
        catch (QrsCertificateException exception)
        {
            ThrowTerminatingError(exception.ToErrorRecord());
            throw;
        }
    }

    private QrsCertificate Usable(QrsCertificate certificate)
    {
        try
        {
            certificate.EnsureNotDisposed();
            return certificate;
        }
        catch (QrsCertificateException exception)
        {
            ThrowTerminatingError(exception.ToErrorRecord());
            throw;
        }
    }

    private X509Certificate2 ReadRoot(string path)
    {
        try
        {
            return QrsCertificateLoader.ReadRoot(FileSystemPaths.Resolve(SessionState, path, nameof(TrustedRoot)));
        }
        catch (QrsCertificateException exception)
        {
            ThrowTerminatingError(exception.ToErrorRecord());
            throw;
        }
    }

    /// <summary>On a Qlik node, the host in %ProgramData%\Qlik\Sense\Host.cfg (base64 of the name); otherwise localhost.</summary>
    private static string DefaultComputerName()
    {
        string? programData = Environment.GetEnvironmentVariable("ProgramData");
        string hostConfig = programData is null ? string.Empty : Path.Combine(programData, "Qlik", "Sense", "Host.cfg");
        if (File.Exists(hostConfig))
        {
            try
            {
                string host = Encoding.UTF8.GetString(Convert.FromBase64String(File.ReadAllText(hostConfig).Trim())).Trim();
                if (host.Length > 0)
                {
                    return host;
                }
            }
            catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
            {
                // A Host.cfg that is not base64 is not Qlik's, and one this account cannot read names no host for it; fall back to localhost.
            }
        }

        return "localhost";
    }
}
