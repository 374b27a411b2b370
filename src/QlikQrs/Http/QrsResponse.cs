using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Model;
using Stream = System.IO.Stream;

namespace QlikQrs.Http;

/// <summary>
/// The time one call may take, and what to say when it fails. -Timeout bounds the wait for the answer's headers and
/// then every wait for the next bytes of its body, so a stalled body ends like a stalled server while a large
/// download that keeps arriving is never cut off.
/// </summary>
internal sealed class QrsExchange : IDisposable
{
    private readonly TimeSpan _limit;
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenSource _linked;

    public QrsExchange(QrsConnection connection, HttpMethod method, Uri shown, CancellationToken caller)
    {
        _limit = connection.Settings.Timeout;
        _caller = caller;
        Method = method;
        Uri = shown;
        _idle = new CancellationTokenSource(_limit);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _idle.Token);
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    public CancellationToken Token => _linked.Token;

    public CancellationToken CallerToken => _caller;

    public bool TimedOut => _idle.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>Bytes arrived: the next wait gets the whole limit again.</summary>
    public void Progressed()
    {
        if (!_linked.IsCancellationRequested)
        {
            _idle.CancelAfter(_limit);
        }
    }

    public QrsRequestException Timeout(Exception inner, string what) =>
        new("QrsTimeout", what == "answer"
                ? $"QRS did not answer {Method} {Uri.AbsolutePath} within {_limit.TotalSeconds:0} seconds."
                : $"QRS stopped sending the answer to {Method} {Uri.AbsolutePath}: nothing arrived for {_limit.TotalSeconds:0} seconds.",
            Method.Method, Uri, inner: inner, advice: "Raise -Timeout on Connect-QrsServer, or check that the node is the QRS and is not overloaded.");

    /// <summary>
    /// The answer broke off while it was arriving. Not retried: part of it may already have been written to the
    /// pipeline or a file; and for a change, QRS may have made it.
    /// </summary>
    public QrsRequestException Incomplete(Exception inner)
    {
        bool change = Method != HttpMethod.Get && Method != HttpMethod.Head;
        return new QrsRequestException("QrsResponseIncomplete",
            $"The connection broke while the answer to {Method} {Uri.AbsolutePath} was arriving ({QrsRequestSender.Innermost(inner).Message})." +
            (change ? " The change may have been applied." : string.Empty),
            Method.Method, Uri, inner: inner,
            advice: change ? "Look at the entity (Get-QrsEntity or the Get- cmdlet of its kind) before you run the command again." : "Run the command again.");
    }

    /// <summary>What a failure while reading the body means to the user.</summary>
    public Exception Translate(Exception exception)
    {
        if (exception is QrsRequestException)
        {
            return exception;
        }

        if (TimedOut)
        {
            return Timeout(exception, "body");
        }

        if (_caller.IsCancellationRequested)
        {
            return exception as OperationCanceledException ?? new OperationCanceledException(_caller);
        }

        return exception is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException
            ? Incomplete(exception)
            : exception;
    }

    public void Dispose()
    {
        _linked.Dispose();
        _idle.Dispose();
    }
}

/// <summary>
/// An answer whose headers said success; its body is read through here, so that a timeout, Ctrl+C or a broken
/// connection while it arrives is the same error on every path. Cancelling disposes the answer, which also ends a
/// read that ignores its token (.NET Framework).
/// </summary>
internal sealed class QrsResponse : IDisposable
{
    private readonly QrsExchange _exchange;
    private readonly CancellationTokenRegistration _disposeOnCancel;

    public QrsResponse(QrsExchange exchange, HttpResponseMessage message)
    {
        _exchange = exchange;
        Message = message;
        _disposeOnCancel = exchange.Token.Register(static state => ((HttpResponseMessage)state!).Dispose(), message);
    }

    public HttpResponseMessage Message { get; }

    public QrsExchange Exchange => _exchange;

    public long? Length => Message.Content.Headers.ContentLength;

    public string? MediaType => Message.Content.Headers.ContentType?.MediaType;

    public async Task<Stream> OpenBodyAsync()
    {
        try
        {
#if NETFRAMEWORK
            Stream body = await Message.Content.ReadAsStreamAsync().ConfigureAwait(false);
#else
            Stream body = await Message.Content.ReadAsStreamAsync(_exchange.Token).ConfigureAwait(false);
#endif
            return new ExchangeStream(body, _exchange);
        }
        catch (Exception exception)
        {
            throw _exchange.Translate(exception);
        }
    }

    public async Task<string> ReadTextAsync()
    {
        using Stream body = await OpenBodyAsync().ConfigureAwait(false);
        Encoding encoding = Encoding.UTF8;
        if (Message.Content.Headers.ContentType?.CharSet is string charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // QRS writes UTF-8; an odd charset name is read as that rather than failing the call.
            }
        }

        using var reader = new StreamReader(body, encoding);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    /// <summary>The body as one object of the model; null when QRS answered with nothing.</summary>
    public async Task<T?> ReadJsonAsync<T>()
        where T : class
    {
        using Stream body = await OpenBodyAsync().ConfigureAwait(false);
        try
        {
            return Length == 0 ? null : await JsonSerializer.DeserializeAsync<T>(body, QrsJson.Options, _exchange.Token).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw Unexpected(typeof(T), exception);
        }
        catch (Exception exception) when (exception is not QrsRequestException)
        {
            throw _exchange.Translate(exception);
        }
    }

    /// <summary>A JSON array read element by element as it arrives.</summary>
    public async IAsyncEnumerable<T> ReadListAsync<T>()
        where T : class
    {
        using Stream body = await OpenBodyAsync().ConfigureAwait(false);
        IAsyncEnumerator<T?> items = JsonSerializer.DeserializeAsyncEnumerable<T>(body, QrsJson.Options, _exchange.Token).GetAsyncEnumerator(_exchange.Token);
        try
        {
            while (true)
            {
                T? item;
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    item = items.Current;
                }
                catch (JsonException exception)
                {
                    throw Unexpected(typeof(T), exception);
                }
                catch (Exception exception) when (exception is not QrsRequestException)
                {
                    throw _exchange.Translate(exception);
                }

                if (item is not null)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>QRS's <c>{"value": n}</c> answers (counts, task session ids).</summary>
    public async Task<JsonElement> ReadValueAsync()
    {
        string text = await ReadTextAsync().ConfigureAwait(false);
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.GetProperty("value").Clone();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Unexpected(typeof(JsonElement), exception);
        }
    }

    public QrsRequestException Unexpected(Type expected, Exception exception) =>
        new("QrsUnexpectedResponse", $"QRS answered {_exchange.Method} {_exchange.Uri.AbsolutePath} with something that does not fit {expected.Name}: {exception.Message}",
            _exchange.Method.Method, _exchange.Uri, (int)Message.StatusCode, inner: exception,
            advice: "Is the node on a QRS version this module knows? Invoke-QrsRequest -Raw shows the answer as text.");

    public void Dispose()
    {
        _disposeOnCancel.Dispose();
        Message.Dispose();
        _exchange.Dispose();
    }

    /// <summary>
    /// The body, read with the exchange's token (which holds the caller's) and idle timeout, failures translated.
    /// </summary>
    private sealed class ExchangeStream(Stream inner, QrsExchange exchange) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            exchange.Progressed();
            try
            {
                return await inner.ReadAsync(buffer, offset, count, exchange.Token).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                throw exchange.Translate(exception);
            }
        }

#if !NETFRAMEWORK
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            exchange.Progressed();
            try
            {
                return await inner.ReadAsync(buffer, exchange.Token).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                throw exchange.Translate(exception);
            }
        }
#endif

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

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
