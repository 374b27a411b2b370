using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace QlikQrs.Http;

/// <summary>
/// The connections of one runspace; the newest is the default. Kept per runspace, so two sessions never share a
/// default by accident; a QrsConnection itself may be passed to other runspaces with -Connection.
/// </summary>
internal sealed class ConnectionRegistry
{
    private static readonly ConditionalWeakTable<Runspace, ConnectionRegistry> s_registries = new();

    private readonly List<QrsConnection> _connections = new();
    private readonly object _lock = new();

    public static ConnectionRegistry ForCurrentRunspace() =>
        s_registries.GetValue(Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace is running this command."), _ => new ConnectionRegistry());

    public QrsConnection? Default
    {
        get
        {
            lock (_lock)
            {
                return _connections.LastOrDefault();
            }
        }
    }

    public IReadOnlyList<QrsConnection> All
    {
        get
        {
            lock (_lock)
            {
                return _connections.ToArray();
            }
        }
    }

    /// <summary>Adds a connection as the new default; one of the same name is replaced (and returned for disposal).</summary>
    public QrsConnection? Add(QrsConnection connection)
    {
        lock (_lock)
        {
            QrsConnection? replaced = _connections.FirstOrDefault(c => string.Equals(c.Name, connection.Name, StringComparison.OrdinalIgnoreCase));
            if (replaced is not null)
            {
                _connections.Remove(replaced);
            }

            _connections.Add(connection);
            return replaced;
        }
    }

    public bool Remove(QrsConnection connection)
    {
        lock (_lock)
        {
            return _connections.Remove(connection);
        }
    }
}
