using System.ComponentModel;
using QlikQrs.Model;

namespace QlikQrs;

/// <summary>An app: its id, its name (wildcards allowed), an App or AppCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class AppIdentity : QrsIdentity<App, AppCondensed>
{
    public AppIdentity(object value)
        : base(value)
    {
    }
}

/// <summary>A stream: its id, its name (wildcards allowed), a Stream or StreamCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class StreamIdentity : QrsIdentity<Stream, StreamCondensed>
{
    public StreamIdentity(object value)
        : base(value)
    {
    }
}
