using System;

namespace QlikQrs.Content;

/// <summary>
/// Where content files live: a content library (addressed by its name) or an app's own content (addressed by the
/// app's id). The two take the same calls under different paths.
/// </summary>
public sealed class QrsContentPlace
{
    private QrsContentPlace(string family, string segment, string logicalRoot, Guid id, string description)
    {
        Family = family;
        Segment = segment;
        LogicalRoot = logicalRoot;
        Id = id;
        Description = description;
    }

    /// <summary>contentlibrary or appcontent: the first segment of the upload and delete paths.</summary>
    public string Family { get; }

    /// <summary>The library's name or the app's id, as the paths take it.</summary>
    public string Segment { get; }

    /// <summary>Where the files are served: /content/{library} or /appcontent/{app id}.</summary>
    public string LogicalRoot { get; }

    /// <summary>The library's or the app's id.</summary>
    public Guid Id { get; }

    /// <summary>"the content library 'Logos' (id)" or "the app 'Sales' (id)", for messages.</summary>
    public string Description { get; }

    public static QrsContentPlace Library(Guid id, string name) =>
        new("contentlibrary", name, "/content/" + name, id, $"the content library '{name}' ({id})");

    public static QrsContentPlace App(Guid id, string name) =>
        new("appcontent", id.ToString(), "/appcontent/" + id, id, $"the app '{name}' ({id})");

    public override string ToString() => Description;
}
