using System.Linq;
using System.Management.Automation;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>The session's connections, newest (the default) last; -Name picks by name, with * and ? as wildcards.</summary>
[Cmdlet(VerbsCommon.Get, "QrsConnection")]
[OutputType(typeof(QrsConnection))]
public sealed class GetQrsConnectionCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the default connection, which commands use without -Connection.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        ConnectionRegistry registry = ConnectionRegistry.ForCurrentRunspace();
        if (Default)
        {
            if (registry.Default is QrsConnection current)
            {
                WriteObject(current);
            }

            return;
        }

        QrsNamePattern[]? patterns = Name?.Select(n => new QrsNamePattern(n)).ToArray();
        foreach (QrsConnection connection in registry.All)
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(connection.Name)))
            {
                WriteObject(connection);
            }
        }
    }
}
