using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Http;

/// <summary>
/// Files up and down, streamed on both targets (never the whole file in memory, files over 4 GB), with the bytes
/// moved reported as they go. A download is written under a temporary name beside the target and moved into place
/// only when complete: a failure or Ctrl+C leaves nothing partial behind.
/// </summary>
internal static class QrsTransfer
{
    private const int BufferSize = 81920;

    /// <summary>The file as a request body of <paramref name="contentType"/>, its length declared so nothing buffers it.</summary>
    public static HttpContent Upload(FileInfo file, string contentType, IProgress<long>? progress)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new QrsRequestException("QrsFileWriteFailed", $"'{file.FullName}' cannot be read: {exception.Message}", "POST", null, inner: exception);
        }

        var content = new UploadContent(new CountingStream(stream, progress));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = stream.Length;
        return content;
    }

    /// <summary>Streams the answer into <paramref name="path"/>; returns the file once it is whole and in place.</summary>
    public static async Task<FileInfo> SaveAsync(QrsResponse response, string path, bool overwrite, IProgress<long>? progress)
    {
        string folder = Path.GetDirectoryName(path) ?? ".";
        string partial = Path.Combine(folder, "." + Path.GetFileName(path) + ".partial-" + Guid.NewGuid().ToString("N"));
        try
        {
            long written = 0;
            using (Stream body = await response.OpenBodyAsync().ConfigureAwait(false))
            using (FileStream file = Create(partial))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await body.ReadAsync(buffer, 0, buffer.Length, response.Exchange.Token).ConfigureAwait(false)) > 0)
                {
                    await Write(file, buffer, read, path, response.Exchange.Token).ConfigureAwait(false);
                    written += read;
                    progress?.Report(written);
                }
            }

            if (response.Length is long promised && written != promised)
            {
                throw response.Exchange.Incomplete(new IOException($"the download ended after {written:N0} of {promised:N0} bytes"));
            }

            Place(partial, path, overwrite);
            return new FileInfo(path);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    /// <summary>The reason <paramref name="path"/> cannot be written to, before anything is asked of QRS; null when it can.</summary>
    public static string? CannotWrite(string path, bool overwrite)
    {
        if (Directory.Exists(path))
        {
            return $"'{path}' is a folder.";
        }

        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            return $"The folder '{folder}' does not exist.";
        }

        if (File.Exists(path))
        {
            if (!overwrite)
            {
                return $"'{path}' exists; use -Force to overwrite it.";
            }

            if (new FileInfo(path).IsReadOnly)
            {
                return $"'{path}' is read-only.";
            }
        }

        return null;
    }

    private static FileStream Create(string partial)
    {
        try
        {
            return new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(partial, exception);
        }
    }

    private static async Task Write(FileStream file, byte[] buffer, int count, string path, CancellationToken cancellation)
    {
        try
        {
            await file.WriteAsync(buffer, 0, count, cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(path, exception);
        }
    }

    private static void Place(string partial, string path, bool overwrite)
    {
        try
        {
#if NETFRAMEWORK
            if (overwrite && File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(partial, path);
#else
            File.Move(partial, path, overwrite);
#endif
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(path, exception);
        }
    }

    private static QrsRequestException WriteFailed(string path, Exception exception) =>
        new("QrsFileWriteFailed", $"'{path}' could not be written: {exception.Message}", "GET", null, inner: exception,
            advice: "Check the folder's free space and permissions; nothing partial was left behind.");

    /// <summary>
    /// A file going up. Every piece the server takes is news to the exchange, so -Timeout ends an upload that stalls
    /// and never one that keeps moving, however long it takes.
    /// </summary>
    internal sealed class UploadContent : StreamContent
    {
        private readonly CountingStream _stream;

        public UploadContent(CountingStream stream)
            : base(stream, BufferSize)
        {
            _stream = stream;
        }

        public void ReportTo(QrsExchange exchange) => _stream.Exchange = exchange;
    }

    /// <summary>Reports how many bytes have been read through it (an upload's progress).</summary>
    internal sealed class CountingStream(Stream inner, IProgress<long>? progress) : Stream
    {
        private long _read;

        public QrsExchange? Exchange { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Counted(await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

#if !NETFRAMEWORK
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
#endif

        private int Counted(int read)
        {
            Exchange?.Progressed();
            _read += read;
            progress?.Report(_read);
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
