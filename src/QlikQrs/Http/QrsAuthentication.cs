namespace QlikQrs;

/// <summary>How a connection proves who it is.</summary>
public enum QrsAuthentication
{
    /// <summary>The QMC client certificate on the QRS port (4242); the user is named in X-Qlik-User.</summary>
    Certificate,

    /// <summary>Windows authentication through a virtual proxy.</summary>
    Windows,

    /// <summary>Header authentication through a virtual proxy.</summary>
    Header,

    /// <summary>A bearer JWT through a virtual proxy.</summary>
    Jwt,
}

/// <summary>The X-Qlik-Security context a call is made in.</summary>
public enum QrsSecurityContext
{
    ManagementAccess,
    AppAccess,
}
