using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;
using Xunit;

namespace QlikQrs.Core.Tests;

/// <summary>
/// On .NET Framework the response stream ignores cancellation tokens once the headers are in (HttpClient has let go
/// of the request by then), so a stalled body would hang Ctrl+C and -Timeout. QrsResponse ends such a read by disposing
/// the answer, which aborts the connection. Here the body is a stream that behaves that way, read by every path the
/// module reads a body with.
/// </summary>
public sealed class StalledBodyTests : IDisposable
{
    /// <summary>A guard that turns a hang into a failure, not a measure of speed.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("qlikqrs-stalled-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> ReadPaths() => new() { "text", "json", "list", "copy", "save" };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task Ctrl_C_ends_a_read_that_ignores_its_token(string path)
    {
        using var caller = new CancellationTokenSource();
        var body = new TokenDeafStream();
        using QrsConnection connection = Connection(TimeSpan.FromMinutes(10));
        using QrsResponse response = Response(connection, body, caller.Token);

        Task reading = Read(response, path);
        await Task.WhenAny(body.Reading, reading);
        caller.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Hang));
        Assert.True(body.Disposed);
        Assert.Empty(_folder.GetFiles("*", SearchOption.AllDirectories));
    }

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task The_timeout_ends_a_read_that_ignores_its_token(string path)
    {
        var body = new TokenDeafStream();
        using QrsConnection connection = Connection(TimeSpan.FromSeconds(1));
        using QrsResponse response = Response(connection, body, CancellationToken.None);

        QrsRequestException error = await Assert.ThrowsAsync<QrsRequestException>(() => Read(response, path).WaitAsync(Hang));

        Assert.Equal("QrsTimeout", error.ErrorId);
        Assert.StartsWith("QRS stopped sending the answer to GET /qrs/app", error.Message);
        Assert.True(body.Disposed);
    }

    private Task Read(QrsResponse response, string path) => path switch
    {
        "text" => response.ReadTextAsync(),
        "json" => response.ReadJsonAsync<Model.App>(),
        "list" => ReadList(response),
        "copy" => Task.Run(async () =>
        {
            using Stream stream = await response.OpenBodyAsync();
            stream.CopyTo(Stream.Null);
        }),
        "save" => QrsTransfer.SaveAsync(response, Path.Combine(_folder.FullName, "app.qvf"), overwrite: false, progress: null),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
    };

    private static async Task ReadList(QrsResponse response)
    {
        await foreach (Model.AppCondensed item in response.ReadListAsync<Model.AppCondensed>())
        {
            Assert.NotNull(item);
        }
    }

    private static QrsConnection Connection(TimeSpan timeout) =>
        QrsConnection.Create("stalled", new QrsConnectionSettings { ComputerName = "localhost", Port = 4242, Timeout = timeout });

    private static QrsResponse Response(QrsConnection connection, Stream body, CancellationToken caller)
    {
        var exchange = new QrsExchange(connection, HttpMethod.Get, new Uri("https://localhost:4242/qrs/app"), caller);
        var message = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(body) };
        message.Content.Headers.ContentLength = 1000;
        return new QrsResponse(exchange, message);
    }

    /// <summary>
    /// A response body that never sends a byte and, like .NET Framework's, does not listen to cancellation tokens: a
    /// read ends only when the stream is disposed, with the error an aborted connection gives.
    /// </summary>
    private sealed class TokenDeafStream : Stream
    {
        private readonly TaskCompletionSource<int> _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reading => _reading.Task;

        public bool Disposed => _aborted.Task.IsCompleted;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _reading.TrySetResult();
            return _aborted.Task;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(ReadAsync(Array.Empty<byte>(), 0, 0, cancellationToken));

        protected override void Dispose(bool disposing)
        {
            _aborted.TrySetException(new IOException("Unable to read data from the transport connection: the connection was aborted."));
            base.Dispose(disposing);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
