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

/// <summary>
/// A task of any kind (reload, external program, user sync): its id, its name (wildcards allowed), the task object,
/// or an object with an Id. Names are looked up in every task family.
/// </summary>
/// <remarks>
/// QRS's Task is a read-only union with no family of its own, so the identity is typed as the reload task family's
/// and takes its noun (QrsTaskNotFound), the kinds it accepts and its candidates from every task family.
/// </remarks>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class TaskIdentity : QrsIdentity<ReloadTask, ReloadTaskCondensed>
{
    public TaskIdentity(object value)
        : base(value)
    {
    }

    internal override System.Type FullType => typeof(Task);

    internal override bool IsOfKind(string fullTypeName) => Tasks.QrsTaskKinds.IsTaskType(fullTypeName);

    internal override System.Collections.Generic.IAsyncEnumerable<IQrsEntity> CandidatesAsync(QrsClient client, string? filter, System.Threading.CancellationToken cancellation) =>
        Tasks.QrsTaskKinds.CandidatesAsync(client, new QrsQuery(filter), cancellation);
}

/// <summary>A reload task: its id, its name (wildcards allowed), a ReloadTask or ReloadTaskCondensed, or an object with an Id.</summary>
[TypeConverter(typeof(QrsIdentityConverter))]
public sealed class ReloadTaskIdentity : QrsIdentity<ReloadTask, ReloadTaskCondensed>
{
    public ReloadTaskIdentity(object value)
        : base(value)
    {
    }
}
