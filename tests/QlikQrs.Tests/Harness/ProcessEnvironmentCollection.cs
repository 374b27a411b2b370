using Xunit;

namespace QlikQrs.Tests.Harness;

/// <summary>
/// Test classes that change process-wide environment variables (ProgramData, for -Local and Host.cfg) run in this
/// collection, one at a time, so that they cannot see each other's values.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
