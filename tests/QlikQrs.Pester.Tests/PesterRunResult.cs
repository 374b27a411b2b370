using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace QlikQrs.Pester.Tests;

/// <summary>What one Pester suite run produced, and what it left behind.</summary>
public sealed class PesterRunResult
{
    public required string Suite { get; init; }

    public required int ExitCode { get; init; }

    public required bool TimedOut { get; init; }

    public required string Output { get; init; }

    public required string Errors { get; init; }

    /// <summary>Pester's NUnit XML, or null when Pester never got to write it.</summary>
    public required string? ResultXml { get; init; }

    public required IReadOnlyList<string> LeftoverProcesses { get; init; }

    public required IReadOnlyList<string> LeftoverFolders { get; init; }

    public IReadOnlyList<XElement> TestCases =>
        ResultXml is null ? [] : XDocument.Parse(ResultXml).Descendants("test-case").ToArray();

    /// <summary>Each failing test by its full name (Describe.Context.It), with Pester's message.</summary>
    public IReadOnlyList<string> FailedTests => TestCases
        .Where(test => (string?)test.Attribute("result") == "Failure")
        .Select(test => $"{(string?)test.Attribute("name")}: {test.Element("failure")?.Element("message")?.Value.Trim()}")
        .ToArray();

    /// <summary>
    /// Failures of whole blocks (discovery, BeforeAll, AfterAll), which the XML does not explain: Pester prints each at
    /// the start of a line as "[-] ..." with its error on the next line.
    /// </summary>
    public IReadOnlyList<string> FailedBlocks
    {
        get
        {
            string[] lines = Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
            return lines.Select((line, index) => (line, index))
                .Where(entry => entry.line.StartsWith("[-] ", StringComparison.Ordinal))
                .Select(entry => entry.index + 1 < lines.Length ? $"{entry.line.Substring(4)}: {lines[entry.index + 1].Trim()}" : entry.line.Substring(4))
                .ToArray();
        }
    }

    public bool Passed =>
        ExitCode == 0 && !TimedOut && FailedTests.Count == 0 && FailedBlocks.Count == 0 && TestCases.Count > 0
        && LeftoverProcesses.Count == 0 && LeftoverFolders.Count == 0;

    /// <summary>Why the run failed, in the words a reader of the test report needs first.</summary>
    public string Report()
    {
        var report = new StringBuilder();
        if (ResultXml is null)
        {
            report.AppendLine($"Pester wrote no results for {Suite} (exit code {ExitCode}). `dotnet pwsh` is the repository's local tool: "
                + "if it is not restored, run `dotnet tool restore` in the repository. What it said:");
            report.AppendLine(Errors.Trim());
            report.AppendLine(Output.Trim());
        }

        if (TimedOut)
        {
            report.AppendLine($"{Suite} did not finish and was ended.");
        }

        if (ResultXml is not null && TestCases.Count == 0)
        {
            report.AppendLine($"Pester found no test in {Suite}.");
        }

        if (FailedTests.Count > 0)
        {
            report.AppendLine($"{FailedTests.Count} of {TestCases.Count} Pester tests failed in {Suite}:");
            foreach (string failure in FailedTests)
            {
                report.AppendLine("  " + failure);
            }
        }

        foreach (string failure in FailedBlocks)
        {
            report.AppendLine("  " + failure);
        }

        if (LeftoverProcesses.Count > 0)
        {
            report.AppendLine($"Sandbox processes still running after {Suite} (now ended): {string.Join(", ", LeftoverProcesses)}");
        }

        if (LeftoverFolders.Count > 0)
        {
            report.AppendLine($"Temporary folders left by {Suite}: {string.Join(", ", LeftoverFolders)}");
        }

        if (report.Length == 0 && ExitCode != 0)
        {
            report.AppendLine($"Pester exited with {ExitCode} on {Suite}; its output says why.");
        }

        return report.ToString();
    }
}
