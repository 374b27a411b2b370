using System;
using System.Collections.Concurrent;
using System.Linq;
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

    internal void Record(HttpRequest request)
    {
        _requests.Enqueue(new ObservedRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.Query.FirstOrDefault(q => q.Key.Equals("xrfkey", StringComparison.OrdinalIgnoreCase)).Value.FirstOrDefault(),
            request.Headers["X-Qlik-Xrfkey"].FirstOrDefault(),
            request.Headers["X-Qlik-User"].FirstOrDefault(),
            request.Headers["X-Qlik-Security"].FirstOrDefault()));
        while (_requests.Count > Capacity && _requests.TryDequeue(out _))
        {
        }
    }
}

public sealed record ObservedRequest(string Method, string Path, string? QueryXrfkey, string? HeaderXrfkey, string? User, string? Security);
