using System.Linq;
using System.Text.Json.Nodes;

namespace QlikQrs.Sandbox.Store;

/// <summary>
/// The user directory connector types the sandbox has installed, as GET /qrs/userdirectoryconnector lists them: each
/// type's name, the name the QMC shows, and the settings a directory of that type is configured with.
/// </summary>
public static class UserDirectoryConnectors
{
    public const string Internal = "Repository.UserDirectoryConnectors.Internal";
    public const string ActiveDirectory = "Repository.UserDirectoryConnectors.ADSI.ActiveDirectory";
    public const string GenericLdap = "Repository.UserDirectoryConnectors.LDAP.GenericLDAP";
    public const string Odbc = "Repository.UserDirectoryConnectors.ODBC.Sql";

    private const int Text = 0;
    private const int Number = 1;
    private const int Flag = 2;

    private static readonly (string Type, string DisplayName, (string Name, string Category, int Kind, bool Secret)[] Settings)[] s_types =
    [
        (Internal, "Internal", []),
        (ActiveDirectory, "Active Directory",
        [
            ("LDAP path", "Connection", Text, false), ("User name", "Connection", Text, false), ("Password", "Connection", Text, true),
            ("Page size of search", "Advanced", Number, false), ("Synchronize user data for existing users", "Advanced", Flag, false),
        ]),
        (GenericLdap, "Generic LDAP",
        [
            ("Path", "Connection", Text, false), ("User name", "Connection", Text, false), ("Password", "Connection", Text, true),
            ("User identification", "Directory entry attributes", Text, false), ("Type", "Directory entry attributes", Text, false),
            ("Page size of search", "Advanced", Number, false),
        ]),
        (Odbc, "ODBC (SQL)",
        [
            ("Connection string to users table", "Connection", Text, true), ("Connection string to attributes table", "Connection", Text, true),
            ("Users table name", "Connection", Text, false), ("Attributes table name", "Connection", Text, false),
        ]),
    ];

    /// <summary>The connector types by name.</summary>
    public static JsonObject Describe()
    {
        var types = new JsonObject();
        foreach (var (type, displayName, settings) in s_types)
        {
            types[type] = new JsonObject
            {
                ["name"] = type,
                ["displayName"] = displayName,
                ["settings"] = new JsonArray(settings.Select(s => (JsonNode)new JsonObject
                {
                    ["schemaPath"] = "UserDirectorySettings",
                    ["name"] = s.Name,
                    ["category"] = s.Category,
                    ["userDirectorySettingType"] = s.Kind,
                    ["secret"] = s.Secret,
                    ["value"] = string.Empty,
                }).ToArray()),
            };
        }

        return types;
    }
}
