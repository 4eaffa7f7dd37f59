using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace CippUsers.Graph;

/// <summary>One request inside a JSON batch. <paramref name="Build"/> is called again for every retry of the item.</summary>
internal sealed record BatchItem(string Id, Func<GraphServiceClient, RequestInformation> Build, bool IsWrite);

/// <summary>
/// JSON $batch: envelopes of 20, each item charged to the write budget, items answered 429/503/504 retried after
/// the longest Retry-After (the SDK does not retry batch items), and "not found yet" items retried when they touch
/// a just-created object.
/// </summary>
internal sealed class GraphBatch(GraphCalls calls, IOptions<GraphOptions> options, ILogger<GraphBatch> log)
{
    public const int MaxItems = 20;

    public async Task<IReadOnlyDictionary<string, GraphResult<string?>>> SendAsync(
        string tenantId, IReadOnlyList<BatchItem> items, CancellationToken ct, params string?[] touches)
    {
        var results = new Dictionary<string, GraphResult<string?>>(StringComparer.Ordinal);
        if (items.Count == 0)
            return results;
        var client = calls.Clients.For(tenantId);
        foreach (var chunk in items.Chunk(MaxItems))
            await SendChunkAsync(tenantId, client, chunk, results, touches, ct);
        return results;
    }

    private async Task SendChunkAsync(string tenantId, GraphServiceClient client, BatchItem[] chunk,
        Dictionary<string, GraphResult<string?>> results, string?[] touches, CancellationToken ct)
    {
        var pending = chunk.ToList();
        var consistency = options.Value.Consistency;
        var started = calls.Time.GetTimestamp();
        var notFoundDelay = consistency.FirstDelay;
        var throttleRetries = 0;

        while (pending.Count > 0)
        {
            var writes = pending.Count(i => i.IsWrite);
            if (writes > 0)
                await calls.Limiters.AcquireAsync(tenantId, writes, ct);

            var answers = await PostAsync(client, pending, ct);
            var throttled = new List<BatchItem>();
            var notFound = new List<BatchItem>();
            var wait = TimeSpan.Zero;
            foreach (var item in pending)
            {
                var answer = answers[item.Id];
                if (answer.Failure is null)
                {
                    results[item.Id] = GraphResult<string?>.Ok(answer.Body);
                    continue;
                }
                results[item.Id] = GraphResult<string?>.Fail(answer.Failure);
                if (answer.Retryable)
                {
                    throttled.Add(item);
                    wait = answer.RetryAfter > wait ? answer.RetryAfter : wait;
                }
                else if (answer.Failure.Kind == GraphFailureKind.NotFound && calls.Recent.IsRecent(tenantId, touches))
                {
                    notFound.Add(item);
                }
            }

            pending.Clear();
            if (throttled.Count > 0 && throttleRetries++ < options.Value.MaxRetries)
            {
                log.LogInformation("{Count} batch item(s) throttled in {TenantId}; retrying after {Wait}", throttled.Count, tenantId, wait);
                pending.AddRange(throttled);
            }
            else if (throttled.Count > 0)
            {
                log.LogWarning("{Count} batch item(s) still throttled in {TenantId}; giving up", throttled.Count, tenantId);
            }

            if (notFound.Count > 0 && calls.Time.GetElapsedTime(started) + notFoundDelay <= consistency.MaxWait)
            {
                pending.AddRange(notFound);
                wait = wait > notFoundDelay ? wait : notFoundDelay;
                notFoundDelay = TimeSpan.FromTicks(Math.Min(notFoundDelay.Ticks * 2, TimeSpan.FromSeconds(8).Ticks));
            }

            if (pending.Count > 0)
                await Task.Delay(wait, calls.Time, ct);
        }
    }

    private sealed record Answer(GraphFailure? Failure, bool Retryable, TimeSpan RetryAfter, string? Body = null);

    private static async Task<Dictionary<string, Answer>> PostAsync(GraphServiceClient client, List<BatchItem> items, CancellationToken ct)
    {
        var answers = new Dictionary<string, Answer>(StringComparer.Ordinal);
        BatchResponseContentCollection response;
        try
        {
            var content = new BatchRequestContentCollection(client, MaxItems);
            foreach (var item in items)
                await content.AddBatchRequestStepAsync(item.Build(client), item.Id);
            response = await client.Batch.PostAsync(content, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var failure = GraphErrors.FromException(e);
            foreach (var item in items)
                answers[item.Id] = new Answer(failure, false, TimeSpan.Zero);
            return answers;
        }

        var codes = await response.GetResponsesStatusCodesAsync();
        foreach (var item in items)
        {
            if (!codes.TryGetValue(item.Id, out var status))
            {
                answers[item.Id] = new Answer(GraphErrors.FromResponse(500, null, null, null), false, TimeSpan.Zero);
                continue;
            }
            using var message = await response.GetResponseByIdAsync(item.Id);
            if ((int)status is >= 200 and < 300)
            {
                var body = message.Content is null ? null : await message.Content.ReadAsStringAsync(ct);
                answers[item.Id] = new Answer(null, false, TimeSpan.Zero, string.IsNullOrWhiteSpace(body) ? null : body);
                continue;
            }

            var (code, text, requestId) = await ReadErrorAsync(message, ct);
            var retryable = status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
            answers[item.Id] = new Answer(GraphErrors.FromResponse((int)status, code, text, requestId), retryable, RetryAfter(message));
        }
        return answers;
    }

    internal static TimeSpan RetryAfter(HttpResponseMessage message)
    {
        if (message.Headers.RetryAfter?.Delta is { } delta)
            return delta;
        if (message.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        return TimeSpan.FromSeconds(2);
    }

    private static async Task<(string? Code, string? Message, string? RequestId)> ReadErrorAsync(HttpResponseMessage message, CancellationToken ct)
    {
        try
        {
            var body = await message.Content.ReadAsStringAsync(ct);
            if (string.IsNullOrWhiteSpace(body))
                return (null, null, null);
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
                return (null, null, null);
            var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            var text = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            string? requestId = null;
            if ((error.TryGetProperty("innerError", out var inner) || error.TryGetProperty("innererror", out inner))
                && inner.ValueKind == JsonValueKind.Object && inner.TryGetProperty("request-id", out var r))
                requestId = r.GetString();
            return (code, text, requestId);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }
}
