using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>
/// Connects to a Qlik Sense site's QRS, proves the connection with GET /qrs/about, and makes it the session's default.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "QrsServer", DefaultParameterSetName = CertificateSet)]
[OutputType(typeof(QrsConnection))]
public sealed class ConnectQrsServerCommand : QrsConnectCmdletBase
{
    /// <summary>The connection's name in Get-QrsConnection; computer:port[/prefix] when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Writes the connection to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsConnectionSettings settings = BuildSettings();
        string name = Name ?? $"{settings.ComputerName}:{settings.Port}" + (settings.VirtualProxy is null ? string.Empty : "/" + settings.VirtualProxy.Trim('/'));
        QrsConnection connection = QrsConnection.Create(name, settings);
        try
        {
            connection.QrsVersion = await QrsAbout.GetBuildVersionAsync(connection, cancellation).ConfigureAwait(false);
        }
        catch (QrsRequestException exception)
        {
            connection.Dispose();
            throw Terminating(exception.ToErrorRecord());
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        PostVerbose($"Connected to {connection.BaseUri} as {connection.User}; QRS {connection.QrsVersion}.");
        Post(() => ConnectionRegistry.ForCurrentRunspace().Add(connection)?.Dispose());
        if (PassThru)
        {
            PostObject(connection);
        }
    }
}
