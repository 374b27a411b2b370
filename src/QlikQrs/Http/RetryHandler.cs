using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace QlikQrs.Http;

/// <summary>
/// Retries what is safe to retry: idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS), or a request the caller
/// marked, on 429, 502, 503, 504 and connections that failed in a way another attempt can mend
/// (<see cref="ConnectionFailure.IsWorthRetrying"/>); exponential backoff with jitter, Retry-After honoured,
/// a bounded count. Polly does the scheduling.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private static readonly TimeSpan s_longestRetryAfter = TimeSpan.FromMinutes(2);

    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;

    /// <summary>The request option that holds the call's -Timeout: an answer that asks for a longer wait is handed on, not waited for.</summary>
    public const string TimeoutOption = "QlikQrs.Timeout";

    private static readonly ResiliencePropertyKey<TimeSpan> s_timeout = new(TimeoutOption);
    private static readonly ResiliencePropertyKey<Uri?> s_uri = new("QlikQrs.Uri");

    public RetryHandler(int maxRetries, TimeSpan baseDelay)
    {
        if (maxRetries <= 0)
        {
            return;
        }

        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome, args.Context) && !WaitsTooLong(args.Outcome.Result, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_pipeline is null || !IsRetryable(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_uri, request.RequestUri);
        if (QrsRequestOptions.Get<object>(request, TimeoutOption) is TimeSpan timeout)
        {
            context.Properties.Set(s_timeout, timeout);
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) => await state.Handler.SendOnce(state.Request, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnce(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private static bool IsRetryable(HttpRequestMessage request)
    {
        HttpMethod method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Options
            || QrsRequestOptions.Get<object>(request, QrsRequestOptions.AllowRetry) is true;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Result is HttpResponseMessage response)
        {
            int status = (int)response.StatusCode;
            return status is 429 or 502 or 503 or 504;
        }

        return outcome.Exception is HttpRequestException exception && ConnectionFailure.IsWorthRetrying(exception, context.Properties.GetValue(s_uri, null));
    }

    /// <summary>How long the answer asks to wait before the next try (Retry-After); null when it does not say.</summary>
    internal static TimeSpan? RequestedWait(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        TimeSpan? wait = retryAfter?.Delta ?? (retryAfter?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : null);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static bool WaitsTooLong(HttpResponseMessage? response, ResilienceContext context) =>
        context.Properties.TryGetValue(s_timeout, out TimeSpan timeout) && RequestedWait(response) is TimeSpan wait && wait > timeout;

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) =>
        RequestedWait(response) is TimeSpan wait && wait > s_longestRetryAfter ? s_longestRetryAfter : RequestedWait(response);
}
