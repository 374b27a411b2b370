using System;

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

    public static QrsException BadRequest(string message) => new(400, message);

    public static QrsException NotFound(string message = "Not found") => new(404, message);

    public static QrsException Conflict(string message) => new(409, message);
}
