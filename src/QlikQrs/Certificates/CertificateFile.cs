using System;
using System.IO;
using System.Linq;

namespace QlikQrs.Certificates;

/// <summary>
/// Reads a certificate or key file whole, refusing what cannot be one: a folder, a device or pipe, a file past
/// <see cref="MaximumBytes"/>, and saying why a file cannot be read (permissions, a link to nowhere, a link loop).
/// </summary>
internal static class CertificateFile
{
    /// <summary>
    /// A QMC export file is a few kilobytes, a PEM bundle with a long chain some hundreds; past this a file is not a
    /// certificate, and reading it whole (a 4 GB backup, /dev/zero) would only exhaust memory.
    /// </summary>
    public const int MaximumBytes = 1024 * 1024;

    public static byte[] ReadAllBytes(string path)
    {
        if (Directory.Exists(path))
        {
            throw CertificateErrors.NotAFile(path, "is a folder, not a file");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Missing(path);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw CertificateErrors.AccessDenied(path, "file", exception);
        }
        catch (IOException exception)
        {
            throw LinkTarget(path) is not null ? CertificateErrors.LinkLoop(path, exception) : CertificateErrors.Unreadable(path, exception);
        }

        using (stream)
        {
            return ReadBounded(stream, path);
        }
    }

    /// <summary>The file's entries, or an error that says why the folder cannot be listed.</summary>
    public static string[] ListFolder(string folder)
    {
        try
        {
            return Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (UnauthorizedAccessException exception)
        {
            throw CertificateErrors.AccessDenied(folder, "folder", exception);
        }
        catch (IOException exception)
        {
            throw CertificateErrors.Unreadable(folder, exception);
        }
    }

    /// <summary>The error for a path that does not lead to a folder: missing, a file, or a link to nowhere or in a loop.</summary>
    public static QrsCertificateException MissingFolder(string folder) =>
        LinkTarget(folder) is not null ? Missing(folder)
        : File.Exists(folder) ? CertificateErrors.NotAFile(folder, "is a file, not a folder", "Give the export folder with -Path, or the file with -CertificatePath.")
        : CertificateErrors.FolderNotFound(folder);

    /// <summary>The error for a path that does not lead to a file: missing, or a link to nowhere or in a loop.</summary>
    private static QrsCertificateException Missing(string path)
    {
        string? target = LinkTarget(path);
        if (target is null)
        {
            return CertificateErrors.FileNotFound(path);
        }

#if !NETFRAMEWORK
        try
        {
            File.ResolveLinkTarget(path, returnFinalTarget: true);
        }
        catch (IOException exception)
        {
            return CertificateErrors.LinkLoop(path, exception);
        }
#endif

        return CertificateErrors.DanglingLink(path, target);
    }

    private static byte[] ReadBounded(FileStream stream, string path)
    {
        long reported = stream.CanSeek ? stream.Length : -1;
        if (reported > MaximumBytes)
        {
            throw CertificateErrors.TooLarge(path, reported);
        }

        var buffer = new byte[Math.Min(MaximumBytes + 1, reported > 0 ? (int)reported + 1 : 64 * 1024)];
        int total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > MaximumBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, Math.Min(MaximumBytes + 1, buffer.Length * 2));
                }

                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (IOException exception)
        {
            throw CertificateErrors.Unreadable(path, exception);
        }

        // A regular file yields what its size says; a device (/dev/zero) or a pipe says 0 and yields without end.
        if (total > MaximumBytes || (reported >= 0 && total > reported) || !stream.CanSeek)
        {
            throw total > MaximumBytes && reported > 0
                ? CertificateErrors.TooLarge(path, total)
                : CertificateErrors.NotAFile(path, "is a device or a pipe, not a regular file (it yields data without a size)");
        }

        Array.Resize(ref buffer, total);
        return buffer;
    }

    /// <summary>Where a symbolic link points, or null for anything else (and on .NET Framework, which cannot tell).</summary>
    private static string? LinkTarget(string path)
    {
#if NETFRAMEWORK
        return null;
#else
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
#endif
    }
}
