using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Certificates;
using QlikQrs.Model;
using QlikQrs.Site;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>
/// The QMC's certificate export: QRS writes the site's certificates for each machine name into a folder on the
/// central node; the output says which. Import-QrsCertificate reads such a folder once it is copied where it is used.
/// </summary>
[Cmdlet(VerbsData.Export, "QrsCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(QrsCertificateExport))]
public sealed class ExportQrsCertificateCommand : QrsChangeCmdlet
{
    /// <summary>The machines to export for: a folder of each name is written.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("HostName")]
    [ValidateNotNullOrEmpty]
    public string[] MachineName { get; set; } = null!;

    /// <summary>Protects the private keys (the .pfx files, or the PEM keys) with this password.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Windows (.pfx files, the default) or Pem.</summary>
    [Parameter]
    public CertificateExportParametersExportFormat Format { get; set; } = CertificateExportParametersExportFormat.Windows;

    /// <summary>Includes the certificate of the site's CA, the root a client trusts the site by.</summary>
    [Parameter]
    public SwitchParameter IncludeCa { get; set; }

    /// <summary>Includes the key QRS encrypts secrets with (the QMC's "Include secrets key"), for a node that must read them.</summary>
    [Parameter]
    public SwitchParameter IncludeSecretsKey { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string[] machines = MachineName.Where(m => !string.IsNullOrWhiteSpace(m)).ToArray();
        if (machines.Length == 0 || !await ShouldProcessAsync($"the certificates for {string.Join(", ", machines.Select(m => $"'{m}'"))} ({Format})", "Export").ConfigureAwait(false))
        {
            return;
        }

        using Password password = Certificates.Password.From(Password);
        var parameters = new CertificateExportParameters
        {
            MachineNames = machines.ToList(),
            CertificatePassword = password.IsGiven ? new string(password.Characters()) : null,
            ExportFormat = Format,
            IncludeCa = IncludeCa.IsPresent,
            IncludeSecretsKey = IncludeSecretsKey.IsPresent,
        };
        string folder = await ConnectionFor(null).Client.ExportCertificatesAsync(parameters, cancellation).ConfigureAwait(false);
        foreach (string machine in machines)
        {
            PostObject(new QrsCertificateExport
            {
                MachineName = machine,
                Path = QrsCertificateExport.PathOf(folder, machine),
                Format = Format,
                IncludesCa = IncludeCa.IsPresent,
                IncludesSecretsKey = IncludeSecretsKey.IsPresent,
                PasswordProtected = password.IsGiven,
            });
        }
    }
}
