using System.Management.Automation;
using QlikQrs.Model;

namespace QlikQrs.Content;

/// <summary>
/// A data connection's user name and password from a PSCredential. The password leaves the SecureString only into
/// the entity that is sent; messages and confirmations name the user alone.
/// </summary>
internal sealed class DataConnectionCredential
{
    private readonly PSCredential? _credential;

    private DataConnectionCredential(PSCredential? credential) => _credential = credential;

    /// <summary>The credential given; [PSCredential]::Empty, or one without a user name, removes the user name and password.</summary>
    public static DataConnectionCredential From(PSCredential? credential) =>
        new(credential is null || ReferenceEquals(credential, PSCredential.Empty) || string.IsNullOrEmpty(credential.UserName) ? null : credential);

    public void ApplyTo(DataConnection connection)
    {
        connection.Username = _credential?.UserName ?? string.Empty;
        connection.Password = _credential?.GetNetworkCredential().Password ?? string.Empty;
    }

    /// <summary>"the user 'CORP\svc'" or "no user", for messages: the user, never the password.</summary>
    public string Describe() => _credential is null ? "no user" : $"the user '{_credential.UserName}'";
}
