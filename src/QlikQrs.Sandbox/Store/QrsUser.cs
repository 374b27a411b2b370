namespace QlikQrs.Sandbox.Store;

/// <summary>The caller, from X-Qlik-User or a virtual proxy's authentication.</summary>
public sealed record QrsUser(string UserDirectory, string UserId)
{
    public static QrsUser ServiceAccount { get; } = new("INTERNAL", "sa_repository");

    /// <summary>DIR\id, as QRS writes it into modifiedByUserName.</summary>
    public override string ToString() => $@"{UserDirectory}\{UserId}";
}
