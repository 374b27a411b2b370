using System.Linq;
using System.Management.Automation;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>Closes connections and releases their handlers; the default falls back to the newest one left.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "QrsServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Default")]
[OutputType(typeof(void))]
public sealed class DisconnectQrsServerCommand : PSCmdlet
{
    /// <summary>The connections to close; the default connection when left out.</summary>
    [Parameter(ParameterSetName = "Connection", Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public QrsConnection[]? Connection { get; set; }

    /// <summary>The names of the connections to close; * and ? are wildcards.</summary>
    [Parameter(ParameterSetName = "Name", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Name { get; set; } = null!;

    [Parameter(ParameterSetName = "All", Mandatory = true)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        ConnectionRegistry registry = ConnectionRegistry.ForCurrentRunspace();
        QrsConnection[] chosen = ParameterSetName switch
        {
            "Connection" => Connection!,
            "Name" => registry.All.Where(c => Name.Any(n => new QrsNamePattern(n).IsMatch(c.Name))).ToArray(),
            "All" => registry.All.ToArray(),
            _ => registry.Default is QrsConnection current ? new[] { current } : new QrsConnection[0],
        };
        if (chosen.Length == 0 && ParameterSetName != "All")
        {
            WriteError(new ErrorRecord(new PSArgumentException("No QRS connection matches; Get-QrsConnection lists them."), "QrsConnectionNotFound", ErrorCategory.ObjectNotFound, Name));
        }

        foreach (QrsConnection connection in chosen)
        {
            if (ShouldProcess(connection.ToString(), "Disconnect"))
            {
                registry.Remove(connection);
                connection.Dispose();
            }
        }
    }
}
