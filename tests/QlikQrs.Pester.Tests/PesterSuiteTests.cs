using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace QlikQrs.Pester.Tests;

/// <summary>
/// Every tests/*.Tests.ps1, each one test here: run in a real pwsh with Pester, against the staged module. A suite
/// fails when a Pester test fails, when it finds no test, or when a sandbox process or temporary folder of its run
/// is left behind. The suites run one after another: each starts its own sandbox, and two cores are enough for one.
/// </summary>
public sealed class PesterSuiteTests(ITestOutputHelper output)
{
    public static TheoryData<string> Suites() =>
        new(Directory.GetFiles(BuildOutputs.TestsFolder, "*.Tests.ps1").Select(path => Path.GetFileName(path)).Order());

    [Theory]
    [MemberData(nameof(Suites))]
    public void Suite_passes_in_pwsh_and_leaves_nothing_running(string suite)
    {
        PesterRunResult result = PesterRun.Run(Path.Combine(BuildOutputs.TestsFolder, suite));
        output.WriteLine(result.Output);
        output.WriteLine(result.Errors);
        Assert.True(result.Passed, result.Report());
    }
}
