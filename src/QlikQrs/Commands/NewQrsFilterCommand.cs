using System.Collections;
using System.Management.Automation;

namespace QlikQrs.Commands;

/// <summary>
/// Builds a QRS filter from values, quoted and escaped as QRS reads them: @{ 'stream.name' = "O'Brien"; published = $true }
/// gives <c>stream.name eq 'O\'Brien' and published eq true</c>.
/// </summary>
[Cmdlet(VerbsCommon.New, "QrsFilter")]
[OutputType(typeof(string))]
public sealed class NewQrsFilterCommand : PSCmdlet
{
    /// <summary>Each property equal to its value; an array of values means any of them.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public IDictionary Where { get; set; } = null!;

    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(QrsFilterBuilder.FromConditions(Where));
        }
        catch (System.ArgumentException exception)
        {
            WriteError(new ErrorRecord(exception, "QrsInvalidFilter", ErrorCategory.InvalidArgument, Where));
        }
    }
}
