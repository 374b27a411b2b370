using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using QlikQrs.Http;

namespace QlikQrs.Commands;

/// <summary>
/// Calls /qrs/about and says in words what is wrong when it fails: a refused client certificate, a server certificate
/// from another root or for another name, the XSRF check, a login page where QRS was expected, a wrong prefix, a
/// refused connection, a timeout. Tests a connection, or the parameters Connect-QrsServer would take.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "QrsConnection", DefaultParameterSetName = ExistingSet)]
[OutputType(typeof(QrsConnectionTest))]
public sealed class TestQrsConnectionCommand : QrsConnectCmdletBase
{
    private const string ExistingSet = "Existing";

    /// <summary>The connection to test; the session's default when nothing else is given.</summary>
    [Parameter(ParameterSetName = ExistingSet, ValueFromPipeline = true)]
    public QrsConnection? Connection { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellation)
    {
        bool existing = ParameterSetName == ExistingSet;
        if (existing && MyInvocation.BoundParameters.Keys.Any(k => k is not nameof(Connection) && !CommonParameters.Contains(k) && !OptionalCommonParameters.Contains(k)))
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("To test a new connection give its certificate or authentication (-CertificatePath, -Certificate, -UseWindowsAuthentication, -HeaderName, -Jwt) with those parameters; to test an existing one give only -Connection."),
                "QrsTestParametersIncomplete", ErrorCategory.InvalidArgument, null));
        }

        QrsConnection? connection = existing ? Connection ?? ConnectionRegistry.ForCurrentRunspace().Default : QrsConnection.Create("test", BuildSettings());
        if (connection is null)
        {
            ThrowTerminatingError(new ErrorRecord(new PSInvalidOperationException("There is no QRS connection to test; give -Connection or the parameters of Connect-QrsServer."),
                "QrsNotConnected", ErrorCategory.ConnectionError, null));
            return;
        }

        var result = new QrsConnectionTest { Server = connection.BaseUri, Authentication = connection.Authentication, User = connection.User };
        var clock = Stopwatch.StartNew();
        try
        {
            result.QrsVersion = await QrsAbout.GetBuildVersionAsync(connection, cancellation).ConfigureAwait(false);
            result.Success = true;
            result.Diagnosis = $"Connected: QRS {result.QrsVersion} answered as {connection.User}.";
        }
        catch (QrsRequestException exception)
        {
            result.ErrorId = exception.ErrorId;
            result.Diagnosis = Explain(connection, exception);
        }
        finally
        {
            if (!existing)
            {
                connection.Dispose();
            }
        }

        result.Elapsed = clock.Elapsed;
        PostObject(result);
    }

    private static string Explain(QrsConnection connection, QrsRequestException exception)
    {
        if (exception.StatusCode == 404 && connection.Settings.VirtualProxy is string prefix)
        {
            return connection.Authentication == QrsAuthentication.Certificate
                ? $"404 for '/{prefix}/qrs/about': certificates go to the QRS port ({connection.Port}), which has no virtual proxies. Drop -VirtualProxy, or use the proxy (443) with its authentication."
                : $"404 for '/{prefix}/qrs/about': the proxy has no virtual proxy with the prefix '{prefix}'. Check the prefix in the QMC (Virtual proxies).";
        }

        return exception.Message;
    }
}
