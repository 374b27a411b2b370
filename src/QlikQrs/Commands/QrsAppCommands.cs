using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Gets apps (full, with stream, owner, last reload and size), by name, id, stream, tag, owner or filter.</summary>
[Cmdlet(VerbsCommon.Get, "QrsApp", DefaultParameterSetName = ListSet)]
[OutputType(typeof(App))]
public sealed class GetQrsAppCommand : QrsConnectedCmdlet
{
    private const string ListSet = "List";
    private const string ObjectSet = "Object";

    /// <summary>Apps with these names; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? Id { get; set; }

    /// <summary>Apps published to this stream.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [SupportsWildcards]
    public StreamIdentity? Stream { get; set; }

    /// <summary>Apps that have any of these tags.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Tag>))]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>Apps owned by this user: DIR\userid, or the user's name.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>Only published apps (-Published) or only unpublished ones (-Published:$false).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Published { get; set; }

    /// <summary>A QRS filter, as QRS reads it, in addition to the other conditions.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Apps given by object (App, AppCondensed, an object with an Id), read again in full.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public AppIdentity InputObject { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        if (ParameterSetName == ObjectSet)
        {
            await PostFullAsync(InputObject, cancellation).ConfigureAwait(false);
            return;
        }

        QrsClient site = ConnectionFor(Stream).Client;
        var conditions = new List<string?> { Filter };
        if (Stream is not null)
        {
            IQrsEntity stream = await QrsIdentityResolver.ResolveOneAsync(site, Stream, cancellation).ConfigureAwait(false);
            conditions.Add($"stream.id eq {stream.Id}");
        }

        if (Tag is not null)
        {
            conditions.Add(QrsFilterBuilder.Or(Tag.Select(t => "tags.name eq " + QrsFilterBuilder.Literal(t)).ToArray()));
        }

        if (Owner is not null)
        {
            conditions.Add(UserFilter.For("owner", Owner));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Published)))
        {
            conditions.Add("published eq " + (Published.IsPresent ? "true" : "false"));
        }

        await foreach (App app in QrsFinder.FindAsync<App>(site, Name, Id, QrsFilterBuilder.And(conditions.ToArray()), "name", cancellation).ConfigureAwait(false))
        {
            PostObject(app);
        }
    }
}

/// <summary>Uploads QVF files as new apps, or into existing apps with -Replace; optionally publishes them.</summary>
[Cmdlet(VerbsData.Import, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NewSet)]
[OutputType(typeof(App))]
public sealed class ImportQrsAppCommand : QrsChangeCmdlet
{
    private const string NewSet = "New";
    private const string NewLiteralSet = "NewLiteral";
    private const string ReplaceSet = "Replace";
    private const string ReplaceLiteralSet = "ReplaceLiteral";

    /// <summary>The .qvf files; * and ? are wildcards (C:\Apps\*.qvf).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = NewSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ReplaceSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = null!;

    /// <summary>The .qvf files, names taken as written; what Get-ChildItem pipes in.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NewLiteralSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ReplaceLiteralSet)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    /// <summary>The new app's name; the file's name without .qvf when left out.</summary>
    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = NewLiteralSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Keeps the data in the file (the default); -KeepData:$false uploads the app without it.</summary>
    [Parameter]
    public SwitchParameter KeepData { get; set; } = true;

    /// <summary>Leaves the file's data connections out of the site.</summary>
    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = NewLiteralSet)]
    public SwitchParameter ExcludeConnections { get; set; }

    /// <summary>Publishes the new app to this stream after the upload.</summary>
    [Parameter(ParameterSetName = NewSet)]
    [Parameter(ParameterSetName = NewLiteralSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [SupportsWildcards]
    public StreamIdentity? Stream { get; set; }

    /// <summary>Uploads into this existing app instead: it keeps its id, stream and owner and takes the file's content.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReplaceSet)]
    [Parameter(Mandatory = true, ParameterSetName = ReplaceLiteralSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity Replace { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        IReadOnlyList<FileInfo> files = FilesToUpload();
        string? givenName = Name;
        bool keepData = KeepData.IsPresent;
        bool excludeConnections = ExcludeConnections.IsPresent;
        StreamIdentity? stream = Stream;
        AppIdentity? replace = ParameterSetName is ReplaceSet or ReplaceLiteralSet ? Replace : null;
        if (replace is not null && files.Count > 1)
        {
            throw new QrsCommandException("QrsAppFileAmbiguous", ErrorCategory.InvalidArgument,
                $"-Replace takes one file, and the path matches {files.Count}: {string.Join(", ", files.Select(f => $"'{f.Name}'"))}.",
                files[0].DirectoryName, "Give a path that names one file.");
        }

        QrsClient client = ConnectionFor((object?)replace ?? stream).Client;
        IQrsEntity? target = replace is null ? null : await QrsIdentityResolver.ResolveOneAsync(client, replace, cancellation).ConfigureAwait(false);
        IQrsEntity? publishTo = stream is null ? null : await QrsIdentityResolver.ResolveOneAsync(client, stream, cancellation).ConfigureAwait(false);
        foreach (FileInfo file in files)
        {
            if (!file.Exists)
            {
                PostError(new QrsCommandException("QrsAppFileNotFound", ErrorCategory.ObjectNotFound, $"'{file.FullName}' does not exist.", file.FullName).ErrorRecord);
                continue;
            }

            string name = givenName ?? System.IO.Path.GetFileNameWithoutExtension(file.Name);
            string what = target is null
                ? $"'{file.FullName}' as the app '{name}'" + (publishTo is null ? string.Empty : $", published to the stream {QrsIdentityResolver.Describe(publishTo)}")
                : $"the app {QrsIdentityResolver.Describe(target)} with '{file.FullName}'";
            if (!await ShouldProcessAsync(what, target is null ? "Upload" : "Replace").ConfigureAwait(false))
            {
                continue;
            }

            string activity = $"Uploading {file.Name}";
            IProgress<long> progress = TransferProgress(ActivityId(file.FullName), activity, file.Length);
            App app = target is null
                ? await client.UploadAppAsync(file, name, keepData, excludeConnections, progress, cancellation).ConfigureAwait(false)
                : await client.UploadReplaceAsync(file, target.Id!.Value, keepData, progress, cancellation).ConfigureAwait(false);
            CompleteProgress(ActivityId(file.FullName), activity);
            if (publishTo is not null)
            {
                app = await client.PublishAppAsync(app.Id!.Value, publishTo.Id!.Value, cancellation: cancellation).ConfigureAwait(false);
            }

            PostObject(app);
        }
    }

    /// <summary>
    /// The files the paths name: a literal path as it is (a missing file is reported when its turn comes), a pattern
    /// as the files it matches; a path outside the file system is QrsInvalidFilePath.
    /// </summary>
    private List<FileInfo> FilesToUpload()
    {
        bool literal = ParameterSetName is NewLiteralSet or ReplaceLiteralSet;
        string parameter = literal ? nameof(LiteralPath) : nameof(Path);
        var files = new List<FileInfo>();
        foreach (string path in literal ? LiteralPath : Path)
        {
            string resolved = FileSystemPaths.Resolve(SessionState, path, parameter);
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                files.Add(new FileInfo(resolved));
                continue;
            }

            List<string> found;
            try
            {
                // Matching parses a pattern only when there is a name to match, so a bad one is found here even in an empty folder.
                WildcardPattern.Get(path, WildcardOptions.None).IsMatch(string.Empty);
                found = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).Where(File.Exists).ToList();
            }
            catch (ItemNotFoundException)
            {
                found = new List<string>();
            }
            catch (WildcardPatternException exception)
            {
                throw new QrsCommandException("QrsInvalidFilePath", ErrorCategory.InvalidArgument, $"-{parameter} '{path}' is not a file pattern: {exception.Message.TrimEnd('.')}.", path,
                    "In a pattern, [ ] enclose a set of characters such as [0-9]; give the name with -LiteralPath to take it as it is.");
            }

            if (found.Count == 0)
            {
                throw new QrsCommandException("QrsAppFileNotFound", ErrorCategory.ObjectNotFound, $"No file matches '{path}'.", path);
            }

            files.AddRange(found.Select(f => new FileInfo(f)));
        }

        return files;
    }

    // Transfers that run at once (-ThrottleLimit) each have a progress bar of their own.
}

/// <summary>Exports apps to QVF files: streamed, with progress, never a partial file.</summary>
[Cmdlet(VerbsData.Export, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportQrsAppCommand : QrsChangeCmdlet
{
    /// <summary>The app: name (wildcards allowed), id, or an app object from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    /// <summary>A .qvf file, or a folder for files named after the apps; the current folder when left out.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Exports the app without its data.</summary>
    [Parameter]
    public SwitchParameter SkipData { get; set; }

    /// <summary>Overwrites a file that exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    // Files this run has written: two apps of one name (a copy in each stream is common) must not land in one file,
    // even with -Force, which is meant for files from before.
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        AppIdentity identity = App;
        string destination = FileSystemPaths.Resolve(SessionState, Path ?? ".", nameof(Path));
        bool skipData = SkipData.IsPresent;
        bool force = Force.IsPresent;
        QrsClient client = ConnectionFor(identity).Client;
        await foreach (IQrsEntity app in QrsIdentityResolver.ResolveAsync(client, identity, cancellation).ConfigureAwait(false))
        {
            string name = (app as IQrsNamedEntity)?.Name ?? app.Id.ToString()!;
            bool toFolder = Directory.Exists(destination) || destination.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal);
            string file = toFolder ? System.IO.Path.Combine(destination, SafeFileName.For(name) + ".qvf") : destination;
            if (!Claim(file))
            {
                if (!toFolder)
                {
                    PostError(new QrsCommandException("QrsExportPathInvalid", ErrorCategory.InvalidArgument,
                        $"'{file}' already holds another app exported by this command.", app, "Give a folder as -Path to export several apps.").ErrorRecord);
                    continue;
                }

                file = System.IO.Path.Combine(destination, $"{SafeFileName.For(name)} ({app.Id}).qvf");
                Claim(file);
            }

            if (QrsTransfer.CannotWrite(file, force) is string reason)
            {
                PostError(new QrsCommandException("QrsExportPathInvalid", ErrorCategory.InvalidArgument, reason, app, File.Exists(file) ? "Give -Force to overwrite it, or another -Path." : "Give a -Path in a folder that exists.").ErrorRecord);
                continue;
            }

            if (!await ShouldProcessAsync($"the app {QrsIdentityResolver.Describe(app)} to '{file}'", "Export").ConfigureAwait(false))
            {
                continue;
            }

            string activity = $"Exporting {name}";
            int activityId = ActivityId(app.Id);
            try
            {
                FileInfo exported = await client.ExportAppAsync(app.Id!.Value, file, skipData, force, TransferProgress(activityId, activity, null), cancellation).ConfigureAwait(false);
                CompleteProgress(activityId, activity);
                PSObject output = PSObject.AsPSObject(exported);
                output.TypeNames.Insert(0, "System.IO.FileInfo#QlikQrs.ExportedApp");
                output.Properties.Add(new PSNoteProperty("AppId", app.Id));
                output.Properties.Add(new PSNoteProperty("AppName", name));
                PostObject(output);
            }
            catch (QrsRequestException exception)
            {
                throw exception.About(app);
            }
        }
    }

    private bool Claim(string file)
    {
        lock (_written)
        {
            return _written.Add(System.IO.Path.GetFullPath(file));
        }
    }
}

/// <summary>Copies apps (POST /app/{id}/copy); the copy is unpublished and owned by the caller.</summary>
[Cmdlet(VerbsCommon.Copy, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(App))]
public sealed class CopyQrsAppCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    /// <summary>The copy's name; the source's name when left out.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Copies the source's custom property values too.</summary>
    [Parameter]
    public SwitchParameter IncludeCustomProperties { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        string? name = Name;
        bool customProperties = IncludeCustomProperties.IsPresent;
        await ForEachAsync(App, name is null ? "Copy" : $"Copy as '{name}'",
            async (client, app) => PostObject(await client.CopyAppAsync(app.Id!.Value, name, customProperties, cancellation).ConfigureAwait(false)),
            cancellation).ConfigureAwait(false);
    }
}

/// <summary>Publishes apps to a stream, or replaces a published app with another app's content (the QMC's "replace").</summary>
[Cmdlet(VerbsData.Publish, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = StreamSet)]
[OutputType(typeof(App))]
public sealed class PublishQrsAppCommand : QrsChangeCmdlet
{
    private const string StreamSet = "Stream";
    private const string ReplaceSet = "Replace";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    /// <summary>The stream to publish to.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = StreamSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Model.Stream>))]
    [SupportsWildcards]
    public StreamIdentity Stream { get; set; } = null!;

    /// <summary>The published app's name; the app's own name when left out.</summary>
    [Parameter(ParameterSetName = StreamSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The published app that takes this app's content, keeping its id, stream and owner.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReplaceSet)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity Replace { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        AppIdentity identity = App;
        StreamIdentity? stream = ParameterSetName == StreamSet ? Stream : null;
        AppIdentity? replace = ParameterSetName == ReplaceSet ? Replace : null;
        string? name = Name;
        QrsClient client = ConnectionFor(identity).Client;
        IQrsEntity app = await QrsIdentityResolver.ResolveOneAsync(client, identity, cancellation).ConfigureAwait(false);
        if (stream is not null)
        {
            if (app is App { Published: true } or AppCondensed { Published: true })
            {
                StreamCondensed? current = (app as App)?.Stream ?? (app as AppCondensed)?.Stream;
                throw new QrsCommandException("QrsAppAlreadyPublished", ErrorCategory.InvalidOperation,
                    $"The app {QrsIdentityResolver.Describe(app)} is already published" + (current?.Name is string where ? $", to the stream '{where}'." : "."), app,
                    "QRS publishes an app once. Publish a copy (Copy-QrsApp | Publish-QrsApp -Stream), or put this app's content into the published one with Publish-QrsApp -Replace.");
            }

            IQrsEntity target = await QrsIdentityResolver.ResolveOneAsync(client, stream, cancellation).ConfigureAwait(false);
            if (await ShouldProcessAsync($"the app {QrsIdentityResolver.Describe(app)} to the stream {QrsIdentityResolver.Describe(target)}", "Publish").ConfigureAwait(false))
            {
                PostObject(await client.PublishAppAsync(app.Id!.Value, target.Id!.Value, name, cancellation).ConfigureAwait(false));
            }

            return;
        }

        IQrsEntity published = await QrsIdentityResolver.ResolveOneAsync(client, replace!, cancellation).ConfigureAwait(false);
        if (await ShouldProcessAsync($"the published app {QrsIdentityResolver.Describe(published)} with the content of {QrsIdentityResolver.Describe(app)}", "Replace").ConfigureAwait(false))
        {
            PostObject(await client.ReplaceAppAsync(app.Id!.Value, published.Id!.Value, cancellation).ConfigureAwait(false));
        }
    }
}

/// <summary>Changes an app's name, description or owner.</summary>
[Cmdlet(VerbsCommon.Set, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(App))]
public sealed class SetQrsAppCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public string? Description { get; set; }

    /// <summary>The new owner: DIR\userid.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Owner { get; set; }

    /// <summary>Writes the changed app to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        AppIdentity identity = App;
        string? name = Name;
        string? description = Description;
        string? owner = Owner;
        bool passThru = PassThru.IsPresent;
        UserCondensed? newOwner = owner is null ? null : await UserFilter.FindOneAsync(ConnectionFor(identity).Client, owner, cancellation).ConfigureAwait(false);
        string?[] changes =
        {
            name is null ? null : $"name to '{name}'",
            description is null ? null : "description",
            newOwner is null ? null : $@"owner to {newOwner.UserDirectory}\{newOwner.UserId}",
        };
        await UpdateEachAsync(identity, changes, "-Name, -Description or -Owner", app =>
        {
            app.Name = name ?? app.Name;
            app.Description = description ?? app.Description;
            app.Owner = newOwner ?? app.Owner;
        }, passThru, cancellation).ConfigureAwait(false);
    }
}

/// <summary>Deletes apps, with their files. ConfirmImpact High: asks unless -Confirm:$false.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsApp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "App")]
[OutputType(typeof(void))]
public sealed class RemoveQrsAppCommand : QrsBulkRemoveCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "App")]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ParameterSetName == FilterSet
            ? RemoveMatchingAsync(new[] { QrsEntityFamilies.OfType(typeof(App))! }, "app", cancellation)
            : ForEachAsync(App, "Remove", (client, app) => client.DeleteAsync(QrsEntityFamily.Of(app), app.Id!.Value, cancellation), cancellation);
}

/// <summary>Reloads apps now, through the engine, without a task.</summary>
[Cmdlet(VerbsLifecycle.Start, "QrsAppReload", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StartQrsAppReloadCommand : QrsChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<App>))]
    [SupportsWildcards]
    public AppIdentity App { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ForEachAsync(App, "Reload", (client, app) => client.ReloadAppAsync(app.Id!.Value, cancellation), cancellation);
}
