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

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        QrsConnection connection = ConnectionFor(null);
        var method = new HttpMethod(Method.ToUpperInvariant());
        string target = Path + (Query is null || Query.Count == 0 ? string.Empty : QrsUrl.UserQuery(Query, Path.IndexOf('?') >= 0));
        Uri uri = QrsUrl.Resolve(connection, method, target);
        if (Body is not null && InFile is not null)
        {
            throw new QrsCommandException("QrsBodyAndInFile", ErrorCategory.InvalidArgument, "Give -Body or -InFile, not both.", null);
        }

        MediaTypeHeaderValue? contentType = ContentType is null ? null : MediaType(ContentType);
        HttpContent? content = Content(contentType);
        string? outFile = OutFile is null ? null : FileSystemPaths.Resolve(SessionState, OutFile, nameof(OutFile));
        if (outFile is not null && QrsTransfer.CannotWrite(outFile, overwrite: true) is string reason)
        {
            throw new QrsCommandException("QrsOutFileInvalid", ErrorCategory.InvalidArgument, $"-OutFile: {reason}", outFile);
        }

        bool changes = method != HttpMethod.Get && method != HttpMethod.Head;
        string? asUser = AsUser;
        bool allowRetry = AllowRetry;
        bool raw = Raw;
        if (changes && !await ShouldProcessAsync($"{connection.BaseUri}{target.TrimStart('/')}", method.Method).ConfigureAwait(false))
        {
            content?.Dispose();
            return;
        }

        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (asUser is not null)
        {
            int split = asUser.IndexOf('\\');
            QrsRequestOptions.Set(request, QrsRequestOptions.AsUser, new[] { asUser.Substring(0, split), asUser.Substring(split + 1) });
        }

        if (allowRetry)
        {
            QrsRequestOptions.Set(request, QrsRequestOptions.AllowRetry, true);
        }

        using QrsResponse response = await QrsRequestSender.SendAsync(connection, request, cancellation, expectJson: outFile is null && !raw).ConfigureAwait(false);
        if (outFile is not null)
        {
            string activity = $"Downloading {System.IO.Path.GetFileName(outFile)}";
            PostObject(await QrsTransfer.SaveAsync(response, outFile, overwrite: true, TransferProgress(1, activity, response.Length)).ConfigureAwait(false));
            CompleteProgress(1, activity);
            return;
        }

        await WriteAnswer(response, raw).ConfigureAwait(false);
    }

    /// <summary>The request body: -InFile streamed, a string as it is, anything else as JSON.</summary>
    private HttpContent? Content(MediaTypeHeaderValue? contentType)
    {
        if (InFile is not null)
        {
            string inFile = FileSystemPaths.Resolve(SessionState, InFile, nameof(InFile));
            if (Directory.Exists(inFile))
            {
                throw new QrsCommandException("QrsInFileNotFound", ErrorCategory.InvalidArgument, $"-InFile '{inFile}' is a folder, not a file.", inFile,
                    "Give the file to send; a folder cannot be a request body.");
            }

            if (!File.Exists(inFile))
            {
                throw new QrsCommandException("QrsInFileNotFound", ErrorCategory.ObjectNotFound, $"-InFile '{inFile}' does not exist.", inFile);
            }

            return QrsTransfer.Upload(new FileInfo(inFile), contentType?.ToString() ?? "application/octet-stream", TransferProgress(1, $"Uploading {System.IO.Path.GetFileName(inFile)}", new FileInfo(inFile).Length));
        }

        if (Body is null)
        {
            return null;
        }

        object value = Body is PSObject { BaseObject: string } wrapped ? wrapped.BaseObject : Body;
        byte[] bytes = value is string text ? Encoding.UTF8.GetBytes(text) : PowerShellJson.ToJson(value, "-Body");
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = contentType ?? MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        return content;
    }

    private static MediaTypeHeaderValue MediaType(string text) =>
        MediaTypeHeaderValue.TryParse(text, out MediaTypeHeaderValue? parsed) && parsed is not null
            ? parsed
            : throw new QrsCommandException("QrsInvalidContentType", ErrorCategory.InvalidArgument, $"-ContentType '{QrsUrl.Shown(text)}' is not a media type.", text,
                "Give it as type/subtype, with parameters after a semicolon: application/json; charset=utf-8, or application/vnd.qlik.sense.app.");

    private async Task WriteAnswer(QrsResponse response, bool raw)
    {
        string? mediaType = response.MediaType;
        bool json = mediaType is not null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
        if (raw || !json)
        {
            string text = await response.ReadTextAsync().ConfigureAwait(false);
            if (text.Length > 0)
            {
                PostObject(text);
            }

            return;
        }

        using Stream body = await response.OpenBodyAsync().ConfigureAwait(false);
        CancellationToken cancellation = response.Exchange.Token;

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
        try
        {
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
        catch (JsonException exception)
        {
            throw new QrsRequestException("QrsUnexpectedResponse",
                $"QRS answered {response.Exchange.Method} {response.Exchange.Uri.AbsolutePath} with a JSON content type but not valid JSON: {exception.Message}",
                response.Exchange.Method.Method, response.Exchange.Uri, inner: exception, advice: "Use -Raw to see the text.");
        }
    }

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
