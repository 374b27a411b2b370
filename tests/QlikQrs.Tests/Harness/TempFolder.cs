using System;
using System.IO;

namespace QlikQrs.Tests.Harness;

/// <summary>A folder of a test's own under the system's temp folder, removed with what it holds when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
