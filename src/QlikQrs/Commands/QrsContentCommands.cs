using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Content;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>A command on the files of one place: a content library (-ContentLibrary) or an app's own content (-App).</summary>
public abstract class ContentFileCommand : QrsChangeCmdlet
{
    private protected const string LibrarySet = "ContentLibrary";
    private protected const string AppSet = "App";

    /// <summary>The content library: its name, id or object.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LibrarySet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<ContentLibrary>))]
    public ContentLibraryIdentity ContentLibrary { get; set; } = null!;

    /// <summary>The app whose own content (the files only it uses) to work on: its name, id or object.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AppSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    public AppIdentity App { get; set; } = null!;

    /// <summary>The client of the place's connection, the place, and the name to show for it; one place, never a pattern's several.</summary>
    private protected async Task<(QrsClient Client, QrsContentPlace Place, string Name)> ResolvePlaceAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == LibrarySet)
        {
            ContentLibraryIdentity library = ContentLibrary;
            QrsClient client = ConnectionFor(library).Client;
            IQrsEntity found = await QrsIdentityResolver.ResolveOneAsync(client, library, cancellation).ConfigureAwait(false);
            string name = (found as IQrsNamedEntity)?.Name ?? found.Id.ToString()!;
            return (client, QrsContentPlace.Library(found.Id!.Value, name), name);
        }

        AppIdentity app = App;
        QrsClient appClient = ConnectionFor(app).Client;
        IQrsEntity foundApp = await QrsIdentityResolver.ResolveOneAsync(appClient, app, cancellation).ConfigureAwait(false);
        string appName = (foundApp as IQrsNamedEntity)?.Name ?? foundApp.Id.ToString()!;
        return (appClient, QrsContentPlace.App(foundApp.Id!.Value, appName), appName);
    }
}

/// <summary>Uploads files into a content library or an app's content, streamed; -Overwrite replaces a file of the same name.</summary>
[Cmdlet(VerbsData.Import, "QrsContentFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = LibrarySet)]
[OutputType(typeof(QrsContentFile))]
public sealed class ImportQrsContentFileCommand : ContentFileCommand
{
    /// <summary>The files to upload; what Get-ChildItem pipes in.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary>The file's path in the library (images/logo.png); the file's own name when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Replaces a file of the same name; without it, such a file is an error and stays as it is.</summary>
    [Parameter]
    public SwitchParameter Overwrite { get; set; }

    // Names this run has uploaded to: a second file for one name is a mistake, even with -Overwrite.
    private readonly HashSet<string> _uploaded = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        IReadOnlyList<FileInfo> files = UploadFiles.Resolve(SessionState, Path, nameof(Path));

        string? givenName = Name;
        bool overwrite = Overwrite.IsPresent;
        (QrsClient client, QrsContentPlace place, string placeName) = await ResolvePlaceAsync(cancellation).ConfigureAwait(false);
        foreach (FileInfo file in files)
        {
            if (UploadFiles.NotAFile(file) is ErrorRecord notAFile)
            {
                PostError(notAFile);
                continue;
            }

            string name = (givenName ?? file.Name).Replace('\\', '/');
            lock (_uploaded)
            {
                if (!_uploaded.Add(name))
                {
                    PostError(new QrsCommandException("QrsContentFileAmbiguous", ErrorCategory.InvalidArgument,
                        $"'{file.FullName}' would go to '{name}' in {place.Description}, where this command has already put another file.", file.FullName,
                        "Give -Name only with one file, or leave it out to keep each file's own name.").ErrorRecord);
                    continue;
                }
            }

            if (!await ShouldProcessAsync($"'{file.FullName}' as '{name}' in {place.Description}", overwrite ? "Upload, replacing a file of that name" : "Upload").ConfigureAwait(false))
            {
                continue;
            }

            string activity = $"Uploading {file.Name}";
            int activityId = ActivityId(file.FullName);
            try
            {
                string served = await client.UploadContentFileAsync(place, file, name, overwrite, TransferProgress(activityId, activity, file.Length), cancellation).ConfigureAwait(false);
                CompleteProgress(activityId, activity);
                PostObject(new QrsContentFile(placeName, name, served, file.Length));
            }
            catch (QrsRequestException exception) when (exception.StatusCode == 409)
            {
                PostError(new QrsCommandException("QrsContentFileExists", ErrorCategory.ResourceExists,
                    $"'{name}' already exists in {place.Description}.", name, "Give -Overwrite to replace it.").ErrorRecord);
            }
        }
    }
}

/// <summary>Downloads files of a content library or an app's content: streamed, never a partial file.</summary>
[Cmdlet(VerbsData.Export, "QrsContentFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = LibrarySet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportQrsContentFileCommand : ContentFileCommand
{
    /// <summary>The files' paths in the library; * and ? are wildcards; every file when left out.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>A folder for the files (named as in the library), or a file name for one file; the current folder when left out.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Overwrites files that exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string destination = FileSystemPaths.Resolve(SessionState, Path ?? ".", nameof(Path));
        IReadOnlyList<string> names = Name ?? new[] { "*" };
        bool force = Force.IsPresent;
        (QrsClient client, QrsContentPlace place, string placeName) = await ResolvePlaceAsync(cancellation).ConfigureAwait(false);
        IReadOnlyList<QrsContentFile> files = await QrsContentFiles.FindAsync(client, place, placeName, names, cancellation).ConfigureAwait(false);
        bool toFolder = Directory.Exists(destination) || destination.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal);
        if (!toFolder && files.Count > 1)
        {
            throw new QrsCommandException("QrsExportPathInvalid", ErrorCategory.InvalidArgument,
                $"{files.Count} files match, and '{destination}' names one file.", destination, "Give a folder that exists as -Path to export several files.");
        }

        foreach (QrsContentFile file in files)
        {
            string target = toFolder ? System.IO.Path.Combine(destination, SafeFileName.For(file.ExternalPath.Substring(file.ExternalPath.LastIndexOf('/') + 1))) : destination;
            if (QrsTransfer.CannotWrite(target, force) is string reason)
            {
                PostError(new QrsCommandException("QrsExportPathInvalid", ErrorCategory.InvalidArgument, reason, file,
                    File.Exists(target) ? "Give -Force to overwrite it, or another -Path." : "Give a -Path in a folder that exists.").ErrorRecord);
                continue;
            }

            if (!await ShouldProcessAsync($"'{file.ExternalPath}' of {place.Description} to '{target}'", "Export").ConfigureAwait(false))
            {
                continue;
            }

            string activity = $"Exporting {file.ExternalPath}";
            int activityId = ActivityId(file.LogicalPath);
            try
            {
                PostObject(await client.DownloadContentFileAsync(file.LogicalPath, target, force, TransferProgress(activityId, activity, null), cancellation).ConfigureAwait(false));
                CompleteProgress(activityId, activity);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(file).ToErrorRecord());
            }
        }
    }
}

/// <summary>Deletes files from a content library or an app's content. ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsContentFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LibrarySet)]
[OutputType(typeof(void))]
public sealed class RemoveQrsContentFileCommand : ContentFileCommand
{
    /// <summary>The files' paths in the library; * and ? are wildcards.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ExternalPath")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Name { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        IReadOnlyList<string> names = Name;
        (QrsClient client, QrsContentPlace place, string placeName) = await ResolvePlaceAsync(cancellation).ConfigureAwait(false);
        foreach (QrsContentFile file in await QrsContentFiles.FindAsync(client, place, placeName, names, cancellation).ConfigureAwait(false))
        {
            if (!await ShouldProcessAsync($"'{file.ExternalPath}' of {place.Description}", "Remove").ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await client.DeleteContentFileAsync(place, file.ExternalPath, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.About(file).ToErrorRecord());
            }
        }
    }
}
