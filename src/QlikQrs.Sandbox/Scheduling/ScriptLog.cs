using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace QlikQrs.Sandbox.Scheduling;

/// <summary>
/// The script log of one run, in the layout of a Qlik Sense reload log: a timestamp, the script line number where
/// there is one, and the text; a failed reload ends with the error and "Execution Failed", so that the last lines
/// say why.
/// </summary>
internal sealed class ScriptLog
{
    /// <summary>Why a reload that was arranged to fail fails.</summary>
    public const string FailureReason = "Field 'Amount' not found";

    private readonly StringBuilder _text = new();
    private readonly string _taskName;
    private readonly string? _appName;

    public ScriptLog(string taskName, string? appName)
    {
        _taskName = taskName;
        _appName = appName;
    }

    public void Started(DateTime utc)
    {
        Line(utc, null, "Execution started.");
        Line(utc, null, $"Reload of app '{_appName ?? "(no app)"}' by task '{_taskName}'");
    }

    public void Reloaded(bool succeed)
    {
        DateTime now = DateTime.UtcNow;
        Line(now, 2, "LIB CONNECT TO 'Sales database'");
        Line(now, 4, "Orders:");
        Line(now, 5, "LOAD OrderID, Customer, Amount FROM [lib://Data/orders.qvd] (qvd)");
        if (succeed)
        {
            Line(now, null, "12,345 Lines fetched");
        }
        else
        {
            Line(now, null, "Error: " + FailureReason);
            Line(now, null, "Execution Failed");
        }
    }

    public void Aborted(string why) => Line(DateTime.UtcNow, null, why);

    /// <summary>Writes the log, ended at <paramref name="stopped"/>; returns its size in bytes.</summary>
    public async Task<long> WriteAsync(string path, DateTime stopped, CancellationToken cancellation)
    {
        Line(stopped, null, "Execution finished.");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] bytes = Encoding.UTF8.GetBytes(_text.ToString());
        await File.WriteAllBytesAsync(path, bytes, cancellation);
        return bytes.LongLength;
    }

    private void Line(DateTime utc, int? scriptLine, string text) =>
        _text.Append(utc.ToString("yyyyMMdd'T'HHmmss.fff'+0000'", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(scriptLine is int line ? line.ToString("D4", CultureInfo.InvariantCulture) : "    ")
            .Append("  ")
            .Append(text)
            .Append("\r\n");
}
