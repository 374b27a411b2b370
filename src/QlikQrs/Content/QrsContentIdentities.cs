using System.ComponentModel;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>An app object (sheet, story, ...): its id, its name (wildcards allowed), an AppObject or AppObjectCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class AppObjectIdentity : QrsIdentity<AppObject, AppObjectCondensed>
{
    public AppObjectIdentity(object value)
        : base(value)
    {
    }
}

/// <summary>An extension: its id, its name (wildcards allowed), an Extension or ExtensionCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class ExtensionIdentity : QrsIdentity<Extension, ExtensionCondensed>
{
    public ExtensionIdentity(object value)
        : base(value)
    {
    }
}

/// <summary>A content library: its id, its name (wildcards allowed), a ContentLibrary or ContentLibraryCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class ContentLibraryIdentity : QrsIdentity<ContentLibrary, ContentLibraryCondensed>
{
    public ContentLibraryIdentity(object value)
        : base(value)
    {
    }
}

/// <summary>A data connection: its id, its name (wildcards allowed), a DataConnection or DataConnectionCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class DataConnectionIdentity : QrsIdentity<DataConnection, DataConnectionCondensed>
{
    public DataConnectionIdentity(object value)
        : base(value)
    {
    }
}
