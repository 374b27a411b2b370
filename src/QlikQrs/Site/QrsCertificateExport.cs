using QlikQrs.Model;

namespace QlikQrs.Site;

/// <summary>The certificates QRS exported for one machine: the folder on the central node it wrote them into.</summary>
public sealed class QrsCertificateExport
{
    public string MachineName { get; init; } = string.Empty;

    /// <summary>The folder, on the central node, that holds the machine's certificates (a path of that node, not of this computer).</summary>
    public string Path { get; init; } = string.Empty;

    public CertificateExportParametersExportFormat Format { get; init; }

    public bool IncludesCa { get; init; }

    public bool IncludesSecretsKey { get; init; }

    public bool PasswordProtected { get; init; }

    /// <summary>The folder of a machine under the export folder, joined the way the central node writes its paths.</summary>
    public static string PathOf(string exportFolder, string machineName)
    {
        char separator = exportFolder.IndexOf('\\') >= 0 ? '\\' : '/';
        return exportFolder.TrimEnd('\\', '/') + separator + machineName;
    }
}
