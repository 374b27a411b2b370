using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The files behind the entities: app files, content library and extension files, exports waiting for their one
/// download, and reload script logs. Everything is streamed to and from disk, never held whole in memory.
/// </summary>
public sealed class SandboxContent
{
    private readonly ConcurrentDictionary<Guid, PendingDownload> _downloads = new();

    public SandboxContent(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(Path.Combine(folder, "apps"));
        Directory.CreateDirectory(Path.Combine(folder, "temp"));
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        Directory.CreateDirectory(ImportFolder);
    }

    /// <summary>The app import folder (GET /app/importfolder): .qvf files that POST /app/import makes apps of.</summary>
    public string ImportFolder => Path.Combine(Folder, "import");

    public string Folder { get; }

    public string AppFile(Guid appId) => Path.Combine(Folder, "apps", appId + ".qvf");

    /// <summary>
    /// The app's file; a seeded app, which was never uploaded, gets one on first use: a few kilobytes made from its
    /// id, the same every time, so that export, copy and replace work on every app of a seeded site.
    /// </summary>
    public string SeededAppFile(Guid appId)
    {
        string file = AppFile(appId);
        if (!File.Exists(file))
        {
            var content = new byte[16 * 1024];
            new Random(appId.GetHashCode()).NextBytes(content);
            string partial = file + ".seed-" + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(partial, content);
            File.Move(partial, file, overwrite: false);
        }

        return file;
    }

    /// <summary>Where a content file lives: under its kind of place (contentlibrary, appcontent, extension) and its owner.</summary>
    public string StaticFilePath(string kind, Guid ownerId, string externalPath) =>
        Path.Combine([Folder, kind, ownerId.ToString("N"), .. externalPath.Split('/')]);

    /// <summary>
    /// A content file; a seeded one, which was never uploaded, gets <paramref name="size"/> bytes made from its path
    /// on first use, the same every time, so that every seeded file can be downloaded.
    /// </summary>
    public string StaticFile(string kind, Guid ownerId, string externalPath, long size)
    {
        string file = StaticFilePath(kind, ownerId, externalPath);
        if (!File.Exists(file))
        {
            var content = new byte[size];
            new Random(externalPath.Aggregate(ownerId.GetHashCode(), (hash, c) => unchecked(hash * 31 + c))).NextBytes(content);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            string partial = file + ".seed-" + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(partial, content);
            File.Move(partial, file, overwrite: false);
        }

        return file;
    }

    public string LogFile(Guid fileReference) => Path.Combine(Folder, "logs", fileReference + ".log");

    /// <summary>Writes a request body to <paramref name="path"/> through a temporary name; returns the bytes written.</summary>
    public static async Task<long> SaveAsync(Stream body, string path, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string partial = path + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            long length;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await body.CopyToAsync(file, 81920, cancellation);
                length = file.Length;
            }

            File.Move(partial, path, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Offers a file for one download by <paramref name="user"/>; returns the token in its download path.</summary>
    public Guid Offer(string sourceFile, string fileName, QrsUser user)
    {
        Guid token = Guid.NewGuid();
        string copy = Path.Combine(Folder, "temp", token.ToString("N"));
        File.Copy(sourceFile, copy);
        _downloads[token] = new PendingDownload(copy, fileName, user);
        return token;
    }

    /// <summary>Takes the download for <paramref name="token"/>: it can be taken once, and only by the user it was made for.</summary>
    public PendingDownload Take(Guid token, QrsUser user)
    {
        if (!_downloads.TryGetValue(token, out PendingDownload? download))
        {
            throw QrsException.NotFound("The download does not exist or was already taken.");
        }

        if (!string.Equals(download.User.ToString(), user.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new QrsException(403, "Forbidden: the download belongs to another user.");
        }

        return _downloads.TryRemove(token, out download) ? download : throw QrsException.NotFound("The download was already taken.");
    }

    public void Cancel(Guid token)
    {
        if (_downloads.TryRemove(token, out PendingDownload? download))
        {
            File.Delete(download.Path);
        }
    }

    public sealed record PendingDownload(string Path, string FileName, QrsUser User);
}
