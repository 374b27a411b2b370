using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using QlikQrs.Sandbox.Store;
using static QlikQrs.Sandbox.Hosting.FaultInjector;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// The body of <c>POST /sandbox/faults</c>, read whole and checked before anything is armed, so that a refused body
/// changes nothing. Each kind of fault is one member, armed in the order sent:
/// <c>{"failNext": {"count": 2, "path": "/qrs/app", "method": "GET", "status": 503, "retryAfterSeconds": 1, "body": "..."}}</c>,
/// and the same count, path and method for <c>delayNext</c> (with <c>milliseconds</c>), <c>dropNext</c>,
/// <c>resetNext</c>, <c>slowNext</c> (with <c>bytesPerSecond</c>), <c>stallNext</c> and <c>truncateNext</c>.
/// </summary>
internal sealed record FaultRequest(bool Clear, TimeSpan? Latency, IReadOnlyList<Fault> Faults)
{
    private const string Where = "POST /sandbox/faults";
    private const double Day = 24 * 60 * 60;
    private const double DayInMilliseconds = Day * 1000;

    private static readonly string[] s_methods = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };
    private static readonly string[] s_members = { "clear", "latencyMilliseconds", "failNext", "delayNext", "dropNext", "resetNext", "slowNext", "stallNext", "truncateNext" };

    public static FaultRequest Parse(JsonObject json)
    {
        var body = new AdminBody(json, Where, s_members);
        var faults = new List<Fault>();
        foreach (string name in body.Names)
        {
            switch (name)
            {
                case "failNext":
                    AdminBody fail = body.Object(name, "count", "path", "method", "status", "retryAfterSeconds", "body");
                    int status = fail.Whole("status", 200, 599) ?? 503;
                    string? text = fail.Text("body");
                    if (text is not null && !CanHaveBody(status))
                    {
                        throw QrsException.BadRequest($"A {status} answer has no body: leave body out of failNext.");
                    }

                    faults.Add(new Fault(FaultKind.Status, Count(fail), Path(fail), Method(fail))
                    {
                        StatusCode = status,
                        RetryAfter = fail.Number("retryAfterSeconds", 0, Day) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
                        Body = text,
                    });
                    break;
                case "delayNext":
                    AdminBody delay = body.Object(name, "count", "path", "method", "milliseconds");
                    faults.Add(new Fault(FaultKind.Delay, Count(delay), Path(delay), Method(delay))
                    {
                        Delay = TimeSpan.FromMilliseconds(delay.Number("milliseconds", 0, DayInMilliseconds) ?? throw QrsException.BadRequest("delayNext needs milliseconds.")),
                    });
                    break;
                case "slowNext":
                    AdminBody slow = body.Object(name, "count", "path", "method", "bytesPerSecond");
                    faults.Add(new Fault(FaultKind.Slow, Count(slow), Path(slow), Method(slow))
                    {
                        BytesPerSecond = slow.Whole("bytesPerSecond", 1, int.MaxValue) ?? throw QrsException.BadRequest("slowNext needs bytesPerSecond."),
                    });
                    break;
                case "dropNext" or "resetNext" or "stallNext" or "truncateNext":
                    FaultKind kind = name switch { "dropNext" => FaultKind.Drop, "resetNext" => FaultKind.Reset, "stallNext" => FaultKind.Stall, _ => FaultKind.Truncate };
                    AdminBody other = body.Object(name, "count", "path", "method");
                    faults.Add(new Fault(kind, Count(other), Path(other), Method(other)));
                    break;
            }
        }

        return new FaultRequest(
            body.Flag("clear") ?? false,
            body.Number("latencyMilliseconds", 0, DayInMilliseconds) is double latency ? TimeSpan.FromMilliseconds(latency) : null,
            faults);
    }

    /// <summary>HTTP gives these statuses no body.</summary>
    public static bool CanHaveBody(int status) => status is not (204 or 205 or 304);

    /// <summary>How many calls a fault meets: 1 unless said.</summary>
    private static int Count(AdminBody fault) => fault.Whole("count", 1, int.MaxValue) ?? 1;

    /// <summary>Which calls a fault meets: those whose path contains this text, every QRS call unless said.</summary>
    private static string Path(AdminBody fault)
    {
        string path = fault.Text("path") ?? "/";
        return path.Length == 0 || path.StartsWith("/sandbox/", StringComparison.OrdinalIgnoreCase) || path.Equals("/sandbox", StringComparison.OrdinalIgnoreCase)
            ? throw fault.Wrong("path", path, "a part of a QRS path (the admin endpoint is never faulted)")
            : path;
    }

    /// <summary>Which method a fault meets: any unless said.</summary>
    private static string? Method(AdminBody fault)
    {
        string? method = fault.Text("method")?.ToUpperInvariant();
        return method is null || Array.IndexOf(s_methods, method) >= 0 ? method : throw fault.Wrong("method", method, "one of " + string.Join(", ", s_methods));
    }
}
