using System;

namespace QlikQrs.Model;

/// <summary>
/// An object of a QRS entity family (full or condensed): it has an id and belongs to a path under /qrs. Value types
/// of the model (a schema event's days, a custom property value) do not implement it.
/// </summary>
public interface IQrsEntity
{
    Guid? Id { get; set; }
}

/// <summary>An entity of a family whose objects have a name (apps, streams, tags, tasks, ...).</summary>
public interface IQrsNamedEntity : IQrsEntity
{
    string? Name { get; set; }
}

/// <summary>A full entity: QRS compares its modifiedDate on a PUT and refuses a stale one with 409.</summary>
public interface IQrsModifiedEntity : IQrsEntity
{
    QrsDateTime? ModifiedDate { get; set; }
}
