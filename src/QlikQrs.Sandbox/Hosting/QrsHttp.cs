using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>Reading and writing QRS's JSON bodies.</summary>
public static class QrsHttp
{
    /// <summary>
    /// The most a request body may hold, Kestrel's own default: QRS refuses large bodies, and a JSON body is parsed
    /// whole, so this bounds what one call can make the sandbox hold. Uploads lift it with <see cref="UnboundedBody"/>.
    /// </summary>
    public const long MaxBodyBytes = 30_000_000;

    public static readonly string BodyTooLarge = $"The request body is larger than the {MaxBodyBytes} bytes a QRS call may send; only the upload endpoints take more.";

    public static async Task WriteJson(HttpContext context, int status, JsonNode node) =>
        await WriteStream(context, status, writer => node.WriteTo(writer));

    public static async Task WriteStream(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static async Task<JsonObject> ReadObject(HttpRequest request, CancellationToken cancellation) =>
        await ReadBody(request, cancellation) as JsonObject ?? throw QrsException.BadRequest("The body must be a JSON object.");

    public static async Task<JsonArray> ReadArray(HttpRequest request, CancellationToken cancellation) =>
        await ReadBody(request, cancellation) as JsonArray ?? throw QrsException.BadRequest("The body must be a JSON array.");

    public static async Task<JsonNode?> ReadBody(HttpRequest request, CancellationToken cancellation)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellation);
        }
        catch (JsonException exception)
        {
            throw QrsException.BadRequest("The body is not valid JSON: " + exception.Message);
        }
    }

    /// <summary>
    /// The body of an upload, which streams to disk and so has no limit. Asked before the first read, since the server
    /// checks the limit as the body starts to arrive.
    /// </summary>
    public static Stream UnboundedBody(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        return context.Request.Body;
    }

    /// <summary>A bare string or GUID answer, which QRS wraps as <c>{"value": ...}</c>.</summary>
    public static Task WriteValue(HttpContext context, int status, string value) => WriteJson(context, status, new JsonObject { ["value"] = value });
}
