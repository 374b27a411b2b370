using System.Management.Automation;

namespace QlikQrs.Commands;

[Cmdlet(VerbsData.Import, "QrsCertificate")]
public sealed class ImportQrsCertificateCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        WriteObject(typeof(Org.BouncyCastle.Asn1.Asn1Object).Assembly.GetName().Version);
    }
}
