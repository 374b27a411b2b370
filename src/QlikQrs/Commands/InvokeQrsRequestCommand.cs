using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>
/// Any QRS call on a connection: the path, the query from a hashtable, a body from an object, a file streamed up or
/// down. JSON answers come back as objects, an array's elements one at a time as they arrive.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "QrsRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject), typeof(string), typeof(FileInfo))]
public sealed class InvokeQrsRequestCommand : QrsConnectedCmdlet
{
    private const int CopyBuffer = 81920;

    [Parameter]
    [ValidateSet("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    /// <summary>/qrs/... or a host-relative path such as a /tempcontent/... download.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>Query parameters, each name and value URL-encoded.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <summary>A string is sent as it is; hashtables, PSCustomObjects and other objects are sent as JSON.</summary>
    [Parameter]
    public object? Body { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ContentType { get; set; }

    /// <summary>A file streamed up as the body.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InFile { get; set; }

    /// <summary>Where the answer is streamed to; written under a temporary name and moved into place when complete.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Makes this one call as another user: DIR\id (certificate connections).</summary>
    [Parameter]
    [ValidatePattern(@"^[^\\]+\\.+$")]
    public string? AsUser { get; set; }

    /// <summary>Returns the answer's text as it is, not as objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Retries this call on transient failures even when its method is not idempotent (POST).</summary>
    [Parameter]
    public SwitchParameter AllowRetry { get; set; }

    protected override void ProcessRecord()
    {
        QrsConnection connection = ResolveConnection();
        var method = new HttpMethod(Method.ToUpperInvariant());
        string relative = RelativeUri();
        bool changes = method != HttpMethod.Get && method != HttpMethod.Head;
        if (changes && !ShouldProcess($"{connection.BaseUri}{relative}", method.Method))
        {
            return;
        }

        if (Body is not null && InFile is not null)
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("Give -Body or -InFile, not both."), "QrsBodyAndInFile", ErrorCategory.InvalidArgument, null));
        }

        byte[]? body = null;
        if (Body is not null)
        {
            object value = Body is PSObject { BaseObject: string } wrapped ? wrapped.BaseObject : Body;
            try
            {
                body = value is string text ? Encoding.UTF8.GetBytes(text) : PowerShellJson.ToJson(value);
            }
            catch (ArgumentException exception)
            {
                ThrowTerminatingError(new ErrorRecord(exception, "QrsBodyInvalid", ErrorCategory.InvalidArgument, Body));
            }
        }

        string? inFile = InFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(InFile);
        string? outFile = OutFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
        if (inFile is not null && !File.Exists(inFile))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"-InFile '{inFile}' does not exist.", inFile), "QrsInFileNotFound", ErrorCategory.ObjectNotFound, inFile));
        }

        Run(async cancellation =>
        {
            try
            {
                await SendAsync(connection, method, relative, body, inFile, outFile, cancellation).ConfigureAwait(false);
            }
            catch (QrsRequestException exception)
            {
                PostError(exception.ToErrorRecord());
            }
        });
    }

    private async Task SendAsync(QrsConnection connection, HttpMethod method, string relative, byte[]? body, string? inFile, string? outFile, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, relative);
        FileStream? upload = null;
        try
        {
            if (inFile is not null)
            {
                upload = new FileStream(inFile, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, useAsync: true);
                request.Content = new StreamContent(upload, CopyBuffer);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType ?? "application/octet-stream");
            }
            else if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType ?? "application/json; charset=utf-8");
            }

            if (AsUser is not null)
            {
                int split = AsUser.IndexOf('\\');
                QrsRequestOptions.Set(request, QrsRequestOptions.AsUser, new[] { AsUser.Substring(0, split), AsUser.Substring(split + 1) });
            }

            if (AllowRetry)
            {
                QrsRequestOptions.Set(request, QrsRequestOptions.AllowRetry, true);
            }

            bool expectJson = outFile is null && !Raw;
            using HttpResponseMessage response = await QrsRequestSender.SendAsync(connection, request, cancellation, expectJson).ConfigureAwait(false);
            try
            {
                if (outFile is not null)
                {
                    await Download(response, outFile, cancellation).ConfigureAwait(false);
                    PostObject(new FileInfo(outFile));
                    return;
                }

                await WriteAnswer(response, cancellation).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellation.IsCancellationRequested)
            {
                throw QrsRequestSender.Incomplete(method.Method, QrsRequestSender.Shown(connection, request.RequestUri!), exception);
            }
            catch (JsonException exception)
            {
                throw new QrsRequestException("QrsUnexpectedResponse", ErrorCategory.InvalidResult,
                    $"QRS answered {method} {request.RequestUri} with a JSON content type but not valid JSON: {exception.Message}. Use -Raw to see the text.",
                    method.Method, QrsRequestSender.Shown(connection, request.RequestUri!), inner: exception);
            }
        }
        finally
        {
            upload?.Dispose();
        }
    }

    private async Task WriteAnswer(HttpResponseMessage response, CancellationToken cancellation)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        bool json = mediaType is null ? false : mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
        if (Raw || !json)
        {
            string text = await QrsRequestSender.ReadTextAsync(response, cancellation).ConfigureAwait(false);
            if (text.Length > 0)
            {
                PostObject(text);
            }

            return;
        }

#if NETFRAMEWORK
        using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#else
        using Stream body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
#endif
        // Look at the first character: an array is read element by element as it arrives, anything else whole.
        var head = new byte[1];
        int first;
        do
        {
            first = await body.ReadAsync(head, 0, 1, cancellation).ConfigureAwait(false) == 0 ? -1 : head[0];
        }
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);

        if (first < 0)
        {
            return;
        }

        var rest = new PrefixedStream((byte)first, body);
        if (first == '[')
        {
            await foreach (JsonElement element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(rest, cancellationToken: cancellation).ConfigureAwait(false))
            {
                PostObject(PowerShellJson.ToPowerShell(element));
            }
        }
        else
        {
            using JsonDocument document = await JsonDocument.ParseAsync(rest, cancellationToken: cancellation).ConfigureAwait(false);
            PostObject(PowerShellJson.ToPowerShell(document.RootElement));
        }
    }

    /// <summary>Streams the answer to a temporary file beside the target and moves it into place only when whole.</summary>
    private static async Task Download(HttpResponseMessage response, string outFile, CancellationToken cancellation)
    {
        string partial = outFile + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
#if NETFRAMEWORK
            using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#else
            using Stream body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
#endif
            long written;
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer, useAsync: true))
            {
                await body.CopyToAsync(file, CopyBuffer, cancellation).ConfigureAwait(false);
                written = file.Length;
            }

            long? promised = response.Content.Headers.ContentLength;
            if (promised is long expected && written != expected)
            {
                throw new IOException($"The download ended after {written:N0} of {expected:N0} bytes.");
            }

            if (File.Exists(outFile))
            {
                File.Delete(outFile);
            }

            File.Move(partial, outFile);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    private string RelativeUri()
    {
        string path = Path.TrimStart('/');
        if (Query is null || Query.Count == 0)
        {
            return path;
        }

        IEnumerable<string> pairs = Query.Cast<DictionaryEntry>().Select(entry =>
            Uri.EscapeDataString(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty) + "=" + Uri.EscapeDataString(QueryValue(entry.Value)));
        return path + (path.IndexOf('?') >= 0 ? "&" : "?") + string.Join("&", pairs);
    }

    private static string QueryValue(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        null => string.Empty,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        object other => other.ToString() ?? string.Empty,
    };

    /// <summary>A stream that gives back one byte already read before the rest of another stream.</summary>
    private sealed class PrefixedStream(byte first, Stream rest) : Stream
    {
        private bool _firstGiven;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            GiveFirst(buffer, offset, count) ?? rest.Read(buffer, offset, count);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            GiveFirst(buffer, offset, count) ?? await rest.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);

        private int? GiveFirst(byte[] buffer, int offset, int count)
        {
            if (count == 0)
            {
                return 0;
            }

            if (_firstGiven)
            {
                return null;
            }

            _firstGiven = true;
            buffer[offset] = first;
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
