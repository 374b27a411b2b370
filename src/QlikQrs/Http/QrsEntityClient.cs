using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

using QrsJson = QlikQrs.Model.QrsJson;

namespace QlikQrs.Http;

/// <summary>Reads and writes typed entities on a connection; lists are deserialised object by object as they arrive.</summary>
internal static class QrsEntityClient
{
    private static readonly MethodInfo s_streamArray = typeof(QrsEntityClient).GetMethod(nameof(StreamArray), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>GETs <paramref name="path"/> and hands each element of the list (or the one object) to <paramref name="each"/>.</summary>
    public static async Task GetAsync(QrsConnection connection, string path, bool list, Type type, Action<object> each, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using HttpResponseMessage response = await QrsRequestSender.SendAsync(connection, request, cancellation).ConfigureAwait(false);
        try
        {
#if NETFRAMEWORK
            using Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#else
            using Stream body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
#endif
            if (list)
            {
                await ((Task)s_streamArray.MakeGenericMethod(type).Invoke(null, new object[] { body, each, cancellation })!).ConfigureAwait(false);
            }
            else
            {
                object? single = await JsonSerializer.DeserializeAsync(body, type, QrsJson.Options, cancellation).ConfigureAwait(false);
                if (single is not null)
                {
                    each(single);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException && !cancellation.IsCancellationRequested)
        {
            throw QrsRequestSender.Incomplete("GET", QrsRequestSender.Shown(connection, request.RequestUri!), exception);
        }
        catch (JsonException exception)
        {
            throw Unexpected("GET", QrsRequestSender.Shown(connection, request.RequestUri!), type, exception);
        }
    }

    private static QrsRequestException Unexpected(string method, Uri uri, Type type, JsonException exception) =>
        new("QrsUnexpectedResponse", System.Management.Automation.ErrorCategory.InvalidResult,
            $"QRS answered {method} {uri.AbsolutePath} with JSON that does not fit {type.Name}: {exception.Message}", method, uri, inner: exception);

    public static async Task<long> CountAsync(QrsConnection connection, string path, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using HttpResponseMessage response = await QrsRequestSender.SendAsync(connection, request, cancellation).ConfigureAwait(false);
        using JsonDocument document = JsonDocument.Parse(await QrsRequestSender.ReadTextAsync(response, cancellation).ConfigureAwait(false));
        return document.RootElement.GetProperty("value").GetInt64();
    }

    /// <summary>Sends <paramref name="body"/> as JSON and reads the answer as <paramref name="answerType"/>.</summary>
    public static async Task<object?> SendAsync(QrsConnection connection, HttpMethod method, string path, object? body, Type answerType, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), QrsJson.Options));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using HttpResponseMessage response = await QrsRequestSender.SendAsync(connection, request, cancellation).ConfigureAwait(false);
        string text = await QrsRequestSender.ReadTextAsync(response, cancellation).ConfigureAwait(false);
        try
        {
            return text.Length == 0 ? null : JsonSerializer.Deserialize(text, answerType, QrsJson.Options);
        }
        catch (JsonException exception)
        {
            throw Unexpected(method.Method, QrsRequestSender.Shown(connection, request.RequestUri!), answerType, exception);
        }
    }


    private static async Task StreamArray<T>(Stream body, Action<object> each, CancellationToken cancellation)
    {
        await foreach (T? item in JsonSerializer.DeserializeAsyncEnumerable<T>(body, QrsJson.Options, cancellation).ConfigureAwait(false))
        {
            if (item is not null)
            {
                each(item);
            }
        }
    }
}
