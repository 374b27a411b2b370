using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Content;
using QlikQrs.Model;
using Task = System.Threading.Tasks.Task;

namespace QlikQrs.Commands;

/// <summary>Uploads extensions (visualizations, mashups, widget libraries) from their zip files; -Replace updates one that exists.</summary>
[Cmdlet(VerbsData.Import, "QrsExtension", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Extension))]
public sealed class ImportQrsExtensionCommand : QrsChangeCmdlet
{
    /// <summary>The zip files; what Get-ChildItem pipes in.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary>The password of a password-protected zip.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>Replaces an extension of the same name; without it, such an extension is an error and stays as it is.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        IReadOnlyList<FileInfo> files = UploadFiles.Resolve(SessionState, Path, nameof(Path));

        string? password = Password is null || Password.Length == 0 ? null : new System.Net.NetworkCredential(string.Empty, Password).Password;
        bool replace = Replace.IsPresent;
        QrsClient client = ResolveConnection().Client;
        foreach (FileInfo file in files)
        {
            if (UploadFiles.NotAFile(file) is ErrorRecord notAFile)
            {
                PostError(notAFile);
                continue;
            }

            if (!await ShouldProcessAsync($"the extension in '{file.FullName}'", replace ? "Upload, replacing an extension of the same name" : "Upload").ConfigureAwait(false))
            {
                continue;
            }

            string activity = $"Uploading {file.Name}";
            int activityId = ActivityId(file.FullName);
            try
            {
                foreach (Extension extension in await client.UploadExtensionAsync(file, password, replace, TransferProgress(activityId, activity, file.Length), cancellation).ConfigureAwait(false))
                {
                    PostObject(extension);
                }

                CompleteProgress(activityId, activity);
            }
            catch (QrsRequestException exception) when (exception.StatusCode == 409)
            {
                PostError(new QrsCommandException("QrsExtensionExists", ErrorCategory.ResourceExists,
                    $"The extension in '{file.FullName}' already exists on the site.", file.FullName, "Give -Replace to replace it.").ErrorRecord);
            }
        }
    }
}

/// <summary>Deletes extensions with their files. ConfirmImpact High.</summary>
[Cmdlet(VerbsCommon.Remove, "QrsExtension", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveQrsExtensionCommand : QrsChangeCmdlet
{
    /// <summary>The extensions: names (wildcards allowed), ids or extension objects, also from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(QrsNameCompleter<Extension>))]
    [SupportsWildcards]
    public ExtensionIdentity Extension { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellation) =>
        ForEachAsync(Extension, "Remove, with its files", async (client, extension) =>
        {
            string name = (extension as IQrsNamedEntity)?.Name ?? (await client.GetAsync<Extension>(extension.Id!.Value, cancellation: cancellation).ConfigureAwait(false)).Name!;
            await client.DeleteExtensionAsync(name, cancellation).ConfigureAwait(false);
        }, cancellation);
}
