using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CippUsers.TenantEmulator.Tests;

/// <summary>Raw HTTPS calls to an emulator, with a cached access token per tenant.</summary>
internal sealed class GraphTestClient(EmulatorHost host) : IDisposable
{
    private readonly HttpClient http = host.CreateHttpClient();
    private readonly Dictionary<string, string> tokens = [];

    public HttpClient Http => http;

    public async Task<string> TokenAsync(string tenantId)
    {
        if (tokens.TryGetValue(tenantId, out var cached))
        {
            return cached;
        }

        using var response = await RequestTokenAsync(tenantId, host.ClientId, host.ClientSecret);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["access_token"]!.GetValue<string>();
        tokens[tenantId] = token;
        return token;
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string tenantId, string clientId, string secret)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        return http.PostAsync(new Uri($"{tenantId}/oauth2/v2.0/token", UriKind.Relative), form, TestContext.Current.CancellationToken);
    }

    public async Task<GraphAnswer> SendAsync(string tenantId, HttpMethod method, string path, JsonNode? body = null, bool eventual = false, string? token = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.StartsWith("http", StringComparison.Ordinal) ? path : $"v1.0/{path.TrimStart('/')}", UriKind.RelativeOrAbsolute));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync(tenantId));
        if (eventual)
        {
            request.Headers.Add("ConsistencyLevel", "eventual");
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new GraphAnswer((int)response.StatusCode, json, text, response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), response.Content.Headers.ContentType?.MediaType);
    }

    public Task<GraphAnswer> GetAsync(string tenantId, string path, bool eventual = false) => SendAsync(tenantId, HttpMethod.Get, path, null, eventual);

    public Task<GraphAnswer> PostAsync(string tenantId, string path, JsonNode body) => SendAsync(tenantId, HttpMethod.Post, path, body);

    public Task<GraphAnswer> PatchAsync(string tenantId, string path, JsonNode body) => SendAsync(tenantId, HttpMethod.Patch, path, body);

    public Task<GraphAnswer> DeleteAsync(string tenantId, string path) => SendAsync(tenantId, HttpMethod.Delete, path);

    public void Dispose() => http.Dispose();
}

internal sealed record GraphAnswer(int Status, JsonNode? Json, string Text, IReadOnlyDictionary<string, string> Headers, string? MediaType)
{
    public string? ErrorCode => (string?)Json?["error"]?["code"];

    public string? ErrorMessage => (string?)Json?["error"]?["message"];

    public JsonArray Value => Json!["value"]!.AsArray();
}
