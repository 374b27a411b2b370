using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>The last requests the sandbox received, as it saw them; bounded, oldest dropped first.</summary>
public sealed class RequestLog
{
    private const int Capacity = 5000;

    private readonly ConcurrentQueue<ObservedRequest> _requests = new();

    public ObservedRequest[] Snapshot() => _requests.ToArray();

    public void Clear()
    {
        while (_requests.TryDequeue(out _))
        {
        }
    }

    internal ObservedRequest Record(HttpRequest request)
    {
        var observed = new ObservedRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.Query.FirstOrDefault(q => q.Key.Equals("xrfkey", StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault(),
            request.Headers["X-Qlik-Xrfkey"].FirstOrDefault(),
            request.Headers["X-Qlik-User"].FirstOrDefault(),
            request.Headers["X-Qlik-Security"].FirstOrDefault(),
            request.QueryString.Value ?? string.Empty);
        _requests.Enqueue(observed);
        while (_requests.Count > Capacity && _requests.TryDequeue(out _))
        {
        }

        return observed;
    }
}

public sealed record ObservedRequest(string Method, string Path, string? QueryXrfkey, string? HeaderXrfkey, string? User, string? Security, string Query)
{
    private int _status;

    /// <summary>The status the sandbox answered with; null until the answer starts, and for a dropped connection.</summary>
    public int? Status
    {
        get
        {
            int status = Volatile.Read(ref _status);
            return status == 0 ? null : status;
        }
    }

    /// <summary>Notes the status as the answer starts, so that a client that has its answer finds the status in the log.</summary>
    internal void NoteStatusOf(HttpResponse response) => response.OnStarting(() =>
    {
        Volatile.Write(ref _status, response.StatusCode);
        return Task.CompletedTask;
    });
}
