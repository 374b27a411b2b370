using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Content;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets data connections (full: type, connection string, user name, owner) by name, id, type, owner or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsDataConnection", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DataConnection))]
public sealed class GetQrsDataConnectionCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>Data connections with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<DataConnection>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Connections of these types: folder, ODBC, OLEDB, internet, or a connector's name (QvRestConnector.exe).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(DataConnectionTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Type { get; set; }

    /// <summary>Connections owned by this user: DIR\userid, or the user's name.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Data connections given by object (DataConnection, DataConnectionCondensed, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public DataConnectionIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        var conditions = new List<string?> { Filter };
        if (Type is not null)
        {
            conditions.Add(QrsFilterBuilder.Or(Type.Select(t => "type eq " + QrsFilterBuilder.Literal(t)).ToArray()));
        }

        if (Owner is not null)
        {
            conditions.Add(UserFilter.For("owner", Owner));
        }

        QrsClient site = ResolveConnection().Client;
        await foreach (DataConnection found in QrsFinder.FindAsync<DataConnection>(site, Name, Id, QrsFilterBuilder.And(conditions.ToArray()), "name", cancellation).ConfigureAwait(false))
        {
            PostObject(found);
        }
    }
}

/// <summary>Creates a data connection; its password, from -Credential, goes to QRS and nowhere else.</summary>
[Cmdlet(VerbsCommon.New, "QrsDataConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DataConnection))]
public sealed class NewQrsDataConnectionCommand : QrsChangeCmdlet
{
    /// <summary>The connection's name, unique on the site.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = null!;

    /// <summary>The connection string as the connector reads it: a folder path, an ODBC DSN, an OLE DB string, a URL.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string ConnectionString { get; set; } = null!;

    /// <summary>The connector: folder, ODBC, OLEDB, internet, or a connector's name (QvRestConnector.exe).</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(DataConnectionTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = null!;

    /// <summary>The user name and password the connector logs on with.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        DataConnectionCredential credential = DataConnectionCredential.From(Credential);
        var connection = new DataConnection
        {
            Name = Name,
            Connectionstring = ConnectionString,
            Type = Type,
        };
        credential.ApplyTo(connection);
        QrsClient client = ResolveConnection().Client;
        if (await ShouldProcessAsync($"the {Type} data connection '{Name}', logging on as {credential.Describe()}", "Create").ConfigureAwait(false))
        {
            PostObject(await client.CreateAsync(QrsEntityFamily.Of(connection), connection, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Changes a data connection's name, connection string or credential; the password is never read back or shown.</summary>
[Cmdlet(VerbsCommon.Set, "QrsDataConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataConnection))]
public sealed class SetQrsDataConnectionCommand : QrsChangeCmdlet
{
    /// <summary>The data connections: names (wildcards allowed), ids or data connection objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<DataConnection>))]
    [SupportsWildcards]
    public DataConnectionIdentity DataConnection { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>The new user name and password; [PSCredential]::Empty removes both.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Writes the changed connection to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        DataConnectionIdentity identity = DataConnection;
        string? name = Name;
        string? connectionString = ConnectionString;
        DataConnectionCredential? credential = Credential is null ? null : DataConnectionCredential.From(Credential);
        string?[] changes =
        {
            name is null ? null : $"name to '{name}'",
            connectionString is null ? null : "connection string",
            credential is null ? null : "credential to " + credential.Describe(),
        };
        await UpdateEachAsync(identity, changes, "-Name, -ConnectionString or -Credential", connection =>
        {
            connection.Name = name ?? connection.Name;
            connection.Connectionstring = connectionString ?? connection.Connectionstring;
            credential?.ApplyTo(connection);
        }, PassThru.IsPresent, cancellation).ConfigureAwait(false);
    }
}
