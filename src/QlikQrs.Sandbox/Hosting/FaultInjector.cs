using System;
using System.Collections.Generic;
using System.Linq;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// Misbehaviour on request, for tests of retries, timeouts and broken transfers: added latency, and for the next N
/// calls matching a path (and a method, when one is given) a status, a delay, a dropped or reset connection, a slow,
/// stalled or truncated body. A call meets at most one armed fault, the first armed that matches it.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _lock = new();
    private readonly List<Fault> _faults = new();

    /// <summary>Every request waits this long before it is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The next <paramref name="count"/> requests whose path contains <paramref name="pathContains"/> get <paramref name="statusCode"/>.</summary>
    public void FailNext(int count, int statusCode, string pathContains = "/", TimeSpan? retryAfter = null, string? method = null, string? body = null) =>
        Add(new Fault(FaultKind.Status, count, pathContains, method) { StatusCode = statusCode, RetryAfter = retryAfter, Body = body });

    /// <summary>The next matching requests wait <paramref name="delay"/>, then are answered as usual.</summary>
    public void DelayNext(int count, TimeSpan delay, string pathContains = "/", string? method = null) =>
        Add(new Fault(FaultKind.Delay, count, pathContains, method) { Delay = delay });

    /// <summary>The next matching requests get no answer at all: the connection is dropped at once.</summary>
    public void DropConnectionNext(int count, string pathContains = "/", string? method = null) => Add(new Fault(FaultKind.Drop, count, pathContains, method));

    /// <summary>The next matching responses send their headers and half their body, then the connection is reset.</summary>
    public void ResetConnectionNext(int count, string pathContains = "/", string? method = null) => Add(new Fault(FaultKind.Reset, count, pathContains, method));

    /// <summary>The next matching responses send their body at <paramref name="bytesPerSecond"/>.</summary>
    public void SlowBodyNext(int count, int bytesPerSecond, string pathContains = "/", string? method = null) =>
        Add(new Fault(FaultKind.Slow, count, pathContains, method) { BytesPerSecond = bytesPerSecond });

    /// <summary>The next matching responses send their headers and half their body, then nothing more until the client gives up.</summary>
    public void StallBodyNext(int count, string pathContains = "/", string? method = null) => Add(new Fault(FaultKind.Stall, count, pathContains, method));

    /// <summary>The next matching responses promise their whole length but end after half of it.</summary>
    public void TruncateBodyNext(int count, string pathContains = "/", string? method = null) => Add(new Fault(FaultKind.Truncate, count, pathContains, method));

    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
            Latency = TimeSpan.Zero;
        }
    }

    /// <summary>What <c>POST /sandbox/faults</c> asks, done at once, so that no call sees half of it.</summary>
    internal void Apply(FaultRequest request)
    {
        lock (_lock)
        {
            if (request.Clear)
            {
                _faults.Clear();
                Latency = TimeSpan.Zero;
            }

            if (request.Latency is TimeSpan latency)
            {
                Latency = latency;
            }

            _faults.AddRange(request.Faults);
        }
    }

    /// <summary>Takes the first fault that applies to this request, counting it down.</summary>
    internal Fault? Take(string method, string path)
    {
        lock (_lock)
        {
            Fault? fault = _faults.FirstOrDefault(f => f.Remaining > 0 && path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase) &&
                (f.Method is null || f.Method.Equals(method, StringComparison.OrdinalIgnoreCase)));
            if (fault is not null)
            {
                fault.Remaining--;
                if (fault.Remaining == 0)
                {
                    _faults.Remove(fault);
                }
            }

            return fault;
        }
    }

    private void Add(Fault fault)
    {
        lock (_lock)
        {
            _faults.Add(fault);
        }
    }

    internal enum FaultKind
    {
        Status,
        Delay,
        Drop,
        Reset,
        Slow,
        Stall,
        Truncate,
    }

    internal sealed class Fault(FaultKind kind, int count, string pathContains, string? method)
    {
        public FaultKind Kind { get; } = kind;

        public int Remaining { get; set; } = count;

        public string PathContains { get; } = pathContains;

        public string? Method { get; } = method;

        public int StatusCode { get; init; }

        public TimeSpan? RetryAfter { get; init; }

        public TimeSpan Delay { get; init; }

        public int BytesPerSecond { get; init; }

        public string? Body { get; init; }
    }
}
