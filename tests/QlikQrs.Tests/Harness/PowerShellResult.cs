using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace QlikQrs.Tests.Harness;

/// <summary>What one script produced, stream by stream, as a user would see it.</summary>
public sealed class PowerShellResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }

    /// <summary>Non-terminating errors, then the terminating one (if the script stopped on one).</summary>
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }

    public required IReadOnlyList<WarningRecord> Warnings { get; init; }

    public required IReadOnlyList<VerboseRecord> Verbose { get; init; }

    /// <summary>The one object the script wrote, failing the test (with the errors seen) when there is not exactly one.</summary>
    public PSObject Single()
    {
        Xunit.Assert.True(Output.Count == 1, $"Expected one object, got {Output.Count}. Errors: {string.Join(" | ", Errors)}");
        return Output[0];
    }

    /// <summary>Fails the test with every error's id and message when the script wrote any error.</summary>
    public PowerShellResult AssertNoErrors()
    {
        Xunit.Assert.True(Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return this;
    }

}
