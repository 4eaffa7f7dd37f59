using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>A Bot Connector on 127.0.0.1 (the bot's serviceUrl) that records every activity the bot posts.</summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ConnectorCall> _calls = [];
    private readonly Queue<HttpStatusCode> _failures = new();
    private readonly Lock _lock = new();
    private int _nextId;

    private FakeConnector(WebApplication app) => _app = app;

    /// <summary>The serviceUrl to put in activities (ends with '/').</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    public IReadOnlyList<ConnectorCall> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Number of requests answered with an injected failure.</summary>
    public int FailedCalls { get; private set; }

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var connector = new FakeConnector(app);
        app.MapPost("/v3/conversations", connector.CreateConversationAsync);
        app.MapPost("/v3/conversations/{conversationId}/activities", (string conversationId, HttpContext http) => connector.RecordAsync(http, "send", conversationId, null));
        app.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpContext http) => connector.RecordAsync(http, "reply", conversationId, activityId));
        app.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpContext http) => connector.RecordAsync(http, "update", conversationId, activityId));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        connector.ServiceUrl = new Uri(address.TrimEnd('/') + "/");
        return connector;
    }

    /// <summary>Answers the next <paramref name="count"/> calls with <paramref name="status"/> (429 gets Retry-After: 0).</summary>
    public void FailNext(HttpStatusCode status, int count = 1)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(status);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }

    public IReadOnlyList<ConnectorCall> CallsSince(int index)
    {
        lock (_lock)
        {
            return [.. _calls.Skip(index)];
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private bool TryFail(HttpContext http)
    {
        HttpStatusCode status;
        lock (_lock)
        {
            if (!_failures.TryDequeue(out status))
            {
                return false;
            }

            FailedCalls++;
        }

        http.Response.StatusCode = (int)status;
        if (status == HttpStatusCode.TooManyRequests)
        {
            http.Response.Headers.RetryAfter = "0";
        }

        return true;
    }

    private async Task RecordAsync(HttpContext http, string kind, string conversationId, string? activityId)
    {
        if (TryFail(http))
        {
            return;
        }

        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        string id;
        lock (_lock)
        {
            id = kind == "update" ? activityId! : $"activity-{++_nextId}";
            _calls.Add(new ConnectorCall(kind, Uri.UnescapeDataString(conversationId), activityId, id, body));
        }

        await http.Response.WriteAsJsonAsync(new { id });
    }

    private async Task CreateConversationAsync(HttpContext http)
    {
        if (TryFail(http))
        {
            return;
        }

        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
        var member = body["members"]?[0]?["id"]?.GetValue<string>() ?? "unknown";
        var conversationId = $"a:personal-{member}";
        lock (_lock)
        {
            _calls.Add(new ConnectorCall("createConversation", conversationId, null, conversationId, body));
        }

        await http.Response.WriteAsJsonAsync(new { id = conversationId });
    }
}

/// <summary>One request the bot made to the connector. <see cref="Kind"/>: send, reply, update, createConversation.</summary>
public sealed record ConnectorCall(string Kind, string ConversationId, string? TargetActivityId, string ActivityId, JsonObject Body)
{
    public string? Text => Body["text"]?.GetValue<string>();

    /// <summary>The Adaptive Cards attached to the activity.</summary>
    public IReadOnlyList<JsonObject> Cards => Body["attachments"] is JsonArray attachments
        ? [.. attachments.Where(a => a?["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive").Select(a => a!["content"]!.AsObject())]
        : [];

    public JsonObject Card => Cards.Single();

    /// <summary>All text in the card (TextBlocks, facts, action titles), for simple assertions.</summary>
    public string CardText => string.Join('\n', Cards.Select(CardJson.AllText));

    public override string ToString() => $"{Kind} in {ConversationId}: {Body.ToJsonString()}";
}
