namespace CippUsers.Graph;

/// <summary>
/// Innermost Graph middleware: every write (and every retry of a write) takes one unit of the tenant's write budget
/// before it leaves the machine. JSON batches are charged per item by <see cref="GraphBatch"/>, not here.
/// </summary>
internal sealed class WriteBudgetHandler(string tenantId, TenantWriteLimiters limiters) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWrite(request))
            await limiters.AcquireAsync(tenantId, 1, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    internal static bool IsWrite(HttpRequestMessage request) =>
        request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options
        && request.RequestUri?.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) != true;
}
