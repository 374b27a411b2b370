using System.Management.Automation;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>A cmdlet that talks to QRS: on -Connection, or on the runspace's default connection.</summary>
public abstract class QrsConnectedCmdlet : QrsAsyncCmdlet
{
    /// <summary>The connection to use; the newest Connect-QrsServer of this session when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public QrsConnection? Connection { get; set; }

    protected QrsConnection ResolveConnection()
    {
        QrsConnection? connection = Connection ?? ConnectionRegistry.ForCurrentRunspace().Default;
        if (connection is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSInvalidOperationException("There is no QRS connection. Connect first: Connect-QrsServer -ComputerName <node> -Certificate (Import-QrsCertificate -Path <export folder>)."),
                "QrsNotConnected", ErrorCategory.ConnectionError, null));
        }

        return connection!;
    }
}
