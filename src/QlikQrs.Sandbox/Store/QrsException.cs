using System;
using System.Collections.Generic;

namespace QlikQrs.Sandbox.Store;

/// <summary>A refusal the way QRS answers it: a status code and a plain-text body.</summary>
public sealed class QrsException : Exception
{
    public QrsException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>For a 405, the methods the path does answer: the <c>Allow</c> header HTTP asks of that refusal.</summary>
    public IReadOnlyList<string>? Allow { get; private init; }

    public static QrsException BadRequest(string message) => new(400, message);

    public static QrsException NotFound(string message = "Not found") => new(404, message);

    public static QrsException Conflict(string message) => new(409, message);

    public static QrsException MethodNotAllowed(string method, string path, IReadOnlyList<string> allowed) =>
        new(405, $"Method not allowed: {path} answers {string.Join(", ", allowed)}, not {method}.") { Allow = allowed };
}
