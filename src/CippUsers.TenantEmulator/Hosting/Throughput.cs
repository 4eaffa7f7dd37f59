using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Hosting;

/// <summary>Measures how many Graph requests per second the emulator serves over loopback HTTPS.</summary>
public static class Throughput
{
    /// <summary>Runs <paramref name="workers"/> concurrent loops of GET /v1.0/users?$top=10 for <paramref name="duration"/> and reports requests/s.</summary>
    public static async Task<double> MeasureAsync(EmulatorHost host, TimeSpan duration, int workers, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var client = host.CreateHttpClient();
        var tenantId = host.Tenants[0].TenantId;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = host.ClientId,
            ["client_secret"] = host.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var tokenResponse = await client.PostAsync(new Uri($"{tenantId}/oauth2/v2.0/token", UriKind.Relative), form, cancellationToken);
        tokenResponse.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellationToken))!["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var count = 0L;
        var stopwatch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, workers).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                using var response = await client.GetAsync(new Uri("v1.0/users?$top=10&$select=id,displayName,userPrincipalName", UriKind.Relative), cancellationToken);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                Interlocked.Increment(ref count);
            }
        });
        await Task.WhenAll(loops);
        var perSecond = count / stopwatch.Elapsed.TotalSeconds;
        output?.WriteLine($"{count} requests in {stopwatch.Elapsed.TotalSeconds:0.0} s with {workers} workers: {perSecond:0} requests/s");
        return perSecond;
    }
}
