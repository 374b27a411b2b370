namespace QlikQrs.Content;

/// <summary>A file in a content library or in an app's content, as QRS serves it.</summary>
public sealed class QrsContentFile
{
    public QrsContentFile(string place, string externalPath, string logicalPath, long? size)
    {
        Place = place;
        ExternalPath = externalPath;
        LogicalPath = logicalPath;
        Size = size;
    }

    /// <summary>The content library's name, or the app's name for an app's content.</summary>
    public string Place { get; }

    /// <summary>The file's path inside the library or the app's content (logo.png, images/logo.png).</summary>
    public string ExternalPath { get; }

    /// <summary>The path the file is served at, relative to the site (/content/Logos/logo.png).</summary>
    public string LogicalPath { get; }

    /// <summary>The size in bytes, when known.</summary>
    public long? Size { get; }

    public override string ToString() => LogicalPath;
}
