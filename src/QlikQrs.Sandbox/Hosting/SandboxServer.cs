using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QlikQrs.Sandbox.Certificates;
using QlikQrs.Sandbox.Schema;
using QlikQrs.Sandbox.Scheduling;
using QlikQrs.Sandbox.Store;

namespace QlikQrs.Sandbox.Hosting;

/// <summary>
/// A QRS on Kestrel: the direct port with mutual TLS (a client certificate chained to the sandbox root is required),
/// and optionally a proxy listener with virtual proxies. Tests start it in-process on free loopback ports.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_adminJson = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan BreakDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a stop waits for requests in flight before it cuts them off, so that a stop takes at most a second or two.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(1);

    private readonly WebApplication _application;
    private readonly SandboxOptions _options;
    private readonly CancellationTokenSource _stopping;
    private readonly string _contentFolder;

    private SandboxServer(WebApplication application, SandboxOptions options, QmcCertificateSet certificates, EntityStore store, FaultInjector faults,
        TaskRunner tasks, TaskTriggers triggers, CancellationTokenSource stopping, string contentFolder, int port, int? proxyPort)
    {
        _application = application;
        _options = options;
        _stopping = stopping;
        _contentFolder = contentFolder;
        Certificates = certificates;
        Store = store;
        Faults = faults;
        Tasks = tasks;
        Triggers = triggers;
        Port = port;
        ProxyPort = proxyPort;
    }

    public int Port { get; }

    public int? ProxyPort { get; }

    public Uri BaseAddress => new($"https://localhost:{Port}/");

    public Uri? ProxyAddress => ProxyPort is int port ? new Uri($"https://localhost:{port}/") : null;

    public string CertificatesFolder => _options.CertificatesFolder;

    /// <summary>Where app, content and log files live while the sandbox runs.</summary>
    public string ContentFolder => _contentFolder;

    public QmcCertificateSet Certificates { get; }

    public EntityStore Store { get; }

    public FaultInjector Faults { get; }

    /// <summary>
    /// The last QRS requests as the server saw them (method, path, xrfkeys, user, security, status), for tests of
    /// clients; calls to the admin endpoint are not in it.
    /// </summary>
    public RequestLog Requests { get; } = new();

    /// <summary>How long tasks run and whether they succeed.</summary>
    public TaskRunner Tasks { get; }

    /// <summary>Fires schedules and task events, and keeps the next execution of tasks and schedules.</summary>
    public TaskTriggers Triggers { get; }

    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellation = default)
    {
        // The machine's own name is on the server certificate too, so a client on another host can check it strictly.
        QmcCertificateSet certificates = QmcCertificateSet.LoadOrMint(
            options.CertificatesFolder, options.HostName, options.ExtraHostNames.Append(Dns.GetHostName()), options.IncludeLoopbackNames);
        int port = options.Port == 0 ? FreePort() : options.Port;
        int? proxyPort = options.ProxyPort is 0 ? FreePort() : options.ProxyPort;
        var store = new EntityStore(QrsSchema.Instance);
        string contentFolder = options.DataFolder is null
            ? Directory.CreateTempSubdirectory("qlikqrs-sandbox-content-").FullName
            : Path.Combine(options.DataFolder, "content");
        if (options.DataFolder is not null && File.Exists(EntitiesFile(options.DataFolder)))
        {
            store.Load(EntitiesFile(options.DataFolder));
        }
        else
        {
            SandboxSeeder.SeedSiteDefaults(store, options.HostName);
        }

        var faults = new FaultInjector();
        var stopping = new CancellationTokenSource();
        var content = new SandboxContent(contentFolder);
        var tasks = new TaskRunner(store, content, stopping.Token);
        var triggers = new TaskTriggers(store, tasks);
        var api = new QrsApi(store, content, tasks) { Certificates = certificates };
        X509Certificate2 serverCertificate = UsableServerCertificate(certificates.Server);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // Whoever embeds the sandbox decides when it stops (a test by disposing it, Program on a signal): the host's
        // console lifetime would otherwise take SIGTERM and Ctrl+C away from the embedding process and ignore them.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = QrsHttp.MaxBodyBytes;
            kestrel.ListenLocalhost(port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (client, _, _) => ChainsTo(client, certificates.Root),
            }));
            if (proxyPort is int proxy)
            {
                kestrel.ListenLocalhost(proxy, listen => listen.UseHttps(serverCertificate));
            }
        });

        WebApplication application = builder.Build();
        var server = new SandboxServer(application, options, certificates, store, faults, tasks, triggers, stopping, contentFolder, port, proxyPort);
        application.Run(context => server.HandleAsync(context, api));
        await application.StartAsync(cancellation);
        _ = triggers.RunAsync(stopping.Token);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _application.StopAsync();
        await _application.DisposeAsync();
        if (_options.DataFolder is string data)
        {
            Store.Save(EntitiesFile(data));
        }
        else
        {
            Directory.Delete(_contentFolder, recursive: true);
        }

        _stopping.Dispose();
        Certificates.Dispose();
    }

    private static string EntitiesFile(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        return Path.Combine(dataFolder, "entities.json");
    }

    private async Task HandleAsync(HttpContext context, QrsApi api)
    {
        try
        {
            // The admin endpoint is how a test steers the sandbox: latency, faults and the request log are for QRS calls
            // only, so that a test can clear a fault or read the log while faults are pending.
            if (AdministrationEndpoint(context) is string endpoint)
            {
                await Administer(context, endpoint);
                return;
            }

            ObservedRequest observed = Requests.Record(context.Request);
            if (Faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(Faults.Latency, context.RequestAborted);
            }

            FaultInjector.Fault? fault = Faults.Take(context.Request.Method, context.Request.Path.Value ?? "/");
            if (fault?.Kind == FaultInjector.FaultKind.Drop)
            {
                context.Abort();
                return;
            }

            observed.NoteStatusOf(context.Response);
            if (fault?.Kind == FaultInjector.FaultKind.Status)
            {
                if (fault.RetryAfter is TimeSpan retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                if (FaultRequest.CanHaveBody(fault.StatusCode))
                {
                    await WriteText(context, fault.StatusCode, fault.Body ?? $"Injected fault: {fault.StatusCode}");
                }
                else
                {
                    context.Response.StatusCode = fault.StatusCode;
                }

                return;
            }

            if (fault?.Kind == FaultInjector.FaultKind.Delay)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            else if (fault is not null)
            {
                await RespondWithBrokenBody(context, api, fault);
                return;
            }

            await RouteAsync(context, api);
        }
        catch (QrsException refusal) when (!context.Response.HasStarted)
        {
            if (refusal.Allow is { } allowed)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed);
            }

            await WriteText(context, refusal.StatusCode, refusal.Message);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException refusal) when (!context.Response.HasStarted)
        {
            // The server's own refusal of the request as it arrives, most often a body past the limit.
            await WriteText(context, refusal.StatusCode, refusal.StatusCode == StatusCodes.Status413PayloadTooLarge ? QrsHttp.BodyTooLarge : refusal.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private async Task RouteAsync(HttpContext context, QrsApi api)
    {
        string path = context.Request.Path.Value ?? "/";
        QrsUser user;
        if (context.Connection.LocalPort == Port)
        {
            QrsRequestChecks.CheckXrfkey(context.Request);
            user = QrsRequestChecks.ReadUser(context.Request);
        }
        else
        {
            // Behind a virtual proxy the same paths follow its prefix; the proxy authenticates before the xrfkey check.
            string[] segments = path.Split('/', 3, StringSplitOptions.RemoveEmptyEntries);
            VirtualProxy proxy = _options.VirtualProxies.FirstOrDefault(p => segments.Length > 0 && p.Prefix.Equals(segments[0], StringComparison.OrdinalIgnoreCase))
                ?? throw QrsException.NotFound();
            path = segments.Length > 1 ? "/" + segments[1] + (segments.Length > 2 ? "/" + segments[2] : string.Empty) : "/";
            user = await AuthenticateAsync(context.Request, proxy);
            QrsRequestChecks.CheckXrfkey(context.Request);
        }

        if (TempContentToken(path) is string token)
        {
            await api.DownloadTempContent(context, token, user);
            return;
        }

        if (await api.TryServeStaticFileAsync(context, path))
        {
            return;
        }

        if (!path.StartsWith("/qrs/", StringComparison.OrdinalIgnoreCase) && !path.Equals("/qrs", StringComparison.OrdinalIgnoreCase))
        {
            throw QrsException.NotFound();
        }

        await api.HandleAsync(context, path.Substring(4), user);
    }

    private static string? TempContentToken(string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0].Equals("tempcontent", StringComparison.OrdinalIgnoreCase) ? segments[1] : null;
    }

    private string? AdministrationEndpoint(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        return context.Connection.LocalPort == Port && path.StartsWith("/sandbox/", StringComparison.OrdinalIgnoreCase)
            ? path.Substring("/sandbox/".Length).ToLowerInvariant()
            : null;
    }

    /// <summary>
    /// The runnable sandbox's admin endpoint (client certificate required, like every call on this port):
    /// POST /sandbox/faults (see <see cref="FaultRequest"/>); POST /sandbox/seed {"users": 1000, ...};
    /// GET /sandbox/requests (the request log as JSON); POST /sandbox/requests {"clear": true};
    /// POST /sandbox/tasks (see <see cref="TaskRequest"/>).
    /// </summary>
    private async Task Administer(HttpContext context, string endpoint)
    {
        string[] allowed = endpoint switch
        {
            "faults" or "seed" or "tasks" => ["POST"],
            "requests" => ["GET", "POST"],
            _ => throw QrsException.NotFound(),
        };
        string method = context.Request.Method;
        if (!allowed.Contains(method, StringComparer.Ordinal))
        {
            throw QrsException.MethodNotAllowed(method, context.Request.Path.Value ?? string.Empty, allowed);
        }

        if (HttpMethods.IsGet(method))
        {
            await QrsHttp.WriteStream(context, 200, writer => JsonSerializer.Serialize(writer, Requests.Snapshot(), s_adminJson));
            return;
        }

        System.Text.Json.Nodes.JsonObject json = await QrsHttp.ReadObject(context.Request, context.RequestAborted);
        switch (endpoint)
        {
            case "faults":
                Faults.Apply(FaultRequest.Parse(json));
                break;
            case "seed":
                var seed = new AdminBody(json, "POST /sandbox/seed", "users", "apps", "streams", "tasks", "tags");
                int Count(string name) => seed.Whole(name, 0, int.MaxValue) ?? 0;
                SandboxSeeder.Seed(Store, new SeedSpec(Count("users"), Count("apps"), Count("streams"), Count("tasks"), Count("tags")));
                break;
            case "tasks":
                TaskRequest request = TaskRequest.Parse(json, Tasks);
                if (request is { TaskId: Guid taskId, Arrangement: TaskArrangement arrangement })
                {
                    Tasks.Arrange(taskId, arrangement);
                }

                if (request.FireSchedules)
                {
                    Triggers.FireSchedules();
                }

                break;
            default:
                if (new AdminBody(json, "POST /sandbox/requests", "clear").Flag("clear") == true)
                {
                    Requests.Clear();
                }

                break;
        }

        context.Response.StatusCode = 204;
    }

    private static async Task<QrsUser> AuthenticateAsync(HttpRequest request, VirtualProxy proxy)
    {
        if (proxy.Authentication == ProxyAuthentication.Header)
        {
            string? userId = request.Headers[proxy.HeaderName].FirstOrDefault();
            return string.IsNullOrWhiteSpace(userId) ? throw new QrsException(401, "Unauthorized") : new QrsUser(proxy.UserDirectory, userId);
        }

        string? authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new QrsException(401, "Unauthorized");
        }

        TokenValidationResult result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization.Substring(7).Trim(), new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(proxy.JwtSigningKey),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = false,
        });
        if (!result.IsValid)
        {
            throw new QrsException(401, "Unauthorized");
        }

        string? id = result.Claims.TryGetValue(proxy.JwtUserIdClaim, out object? idClaim) ? idClaim?.ToString() : null;
        string? directory = result.Claims.TryGetValue(proxy.JwtUserDirectoryClaim, out object? directoryClaim) ? directoryClaim?.ToString() : null;
        return string.IsNullOrEmpty(id) || string.IsNullOrEmpty(directory) ? throw new QrsException(401, "Unauthorized") : new QrsUser(directory, id);
    }

    /// <summary>Answers the request normally into a buffer, then sends that answer broken the way the fault asks.</summary>
    private async Task RespondWithBrokenBody(HttpContext context, QrsApi api, FaultInjector.Fault fault)
    {
        Stream original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await RouteAsync(context, api);
        }
        finally
        {
            context.Response.Body = original;
        }

        byte[] body = buffer.ToArray();
        context.Response.ContentLength = body.Length;
        switch (fault.Kind)
        {
            case FaultInjector.FaultKind.Reset or FaultInjector.FaultKind.Truncate:
                await original.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
                await original.FlushAsync(context.RequestAborted);
                // Give the client time to take the headers and the first half, so the break comes mid-answer and
                // not, by a race, before the answer started.
                await Task.Delay(BreakDelay, context.RequestAborted);
                context.Abort();
                break;
            case FaultInjector.FaultKind.Stall:
                await original.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
                await original.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                break;
            default:
                int chunk = Math.Max(1, fault.BytesPerSecond / 10);
                for (int offset = 0; offset < body.Length; offset += chunk)
                {
                    await original.WriteAsync(body.AsMemory(offset, Math.Min(chunk, body.Length - offset)), context.RequestAborted);
                    await original.FlushAsync(context.RequestAborted);
                    await Task.Delay(100, context.RequestAborted);
                }

                break;
        }
    }

    private static async Task WriteText(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static bool ChainsTo(X509Certificate2 client, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }

    /// <summary>SChannel (Windows) cannot serve TLS with an ephemeral key; elsewhere the minted certificate serves as it is.</summary>
    private static X509Certificate2 UsableServerCertificate(X509Certificate2 certificate) =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)
            : certificate;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
