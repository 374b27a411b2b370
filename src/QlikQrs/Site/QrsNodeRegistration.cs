using System;
using QlikQrs.Model;

namespace QlikQrs.Site;

/// <summary>A node whose registration has started, with the password its installation asks for.</summary>
public sealed class QrsNodeRegistration
{
    public QrsNodeRegistration(ServerNodeConfiguration node, string password)
    {
        Configuration = node;
        Password = password;
    }

    public string? Name => Configuration.Name;

    public string? HostName => Configuration.HostName;

    /// <summary>
    /// What the node's installation asks for to take its certificates from the central node. QRS answers it once,
    /// when the registration starts; it is kept nowhere else.
    /// </summary>
    public string Password { get; }

    public Guid? NodeId => Configuration.Id;

    /// <summary>The node as QRS stored it.</summary>
    public ServerNodeConfiguration Configuration { get; }
}
