using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Hosting;
using CippUsers.TenantEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>Options for <see cref="BotHarness.StartAsync"/>.</summary>
public sealed class BotHarnessOptions
{
    /// <summary>Extra configuration (e.g. "Graph:Tenants:0:TenantId"). Applied last.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Extra service registrations (test features, fakes), applied after the bot's own.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Demo mode only: host the real tenant emulator in-process (its tenants replace <see cref="Tenants"/>).</summary>
    public bool UseEmulator { get; set; }

    /// <summary>Points the bot's Graph library at an emulator the test owns (so the test can read its state and journal);
    /// its tenants become Graph:Tenants.</summary>
    public BotHarnessOptions UseEmulatorHost(EmulatorHost emulator)
    {
        Settings["Graph:GraphBaseUrl"] = emulator.BaseUri.ToString();
        Settings["Exchange:BaseUrl"] = emulator.BaseUri.ToString();
        Settings["Graph:AuthorityHost"] = emulator.BaseUri.ToString();
        Settings["Graph:TrustedCertificateThumbprint"] = emulator.CertificateThumbprint;
        Settings["Graph:Partner:ClientId"] = emulator.ClientId;
        Settings["Graph:Partner:ClientSecret"] = emulator.ClientSecret;
        Tenants.Clear();
        Tenants.AddRange(emulator.Tenants.Select(t => (t.TenantId, t.DisplayName, t.DefaultDomain)));
        return this;
    }

    /// <summary>A connector to reuse (e.g. across a restart of the bot on the same database); the test disposes it.</summary>
    public FakeConnector? Connector { get; set; }

    /// <summary>Customer tenants written to Graph:Tenants (defaults to two test tenants).</summary>
    public List<(string TenantId, string DisplayName, string DefaultDomain)> Tenants { get; } =
    [
        ("0b1e9f5a-6c2d-4e3f-8a7b-9c0d1e2f3a41", "Contoso Ltd", "contoso.onmicrosoft.com"),
        ("7e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170", "Fabrikam Inc", "fabrikam.onmicrosoft.com"),
    ];
}

/// <summary>
/// The real bot on real Kestrel (127.0.0.1, random port) with a <see cref="FakeConnector"/> as its serviceUrl.
/// <code>
/// await using var bot = await BotHarness.StartAsync();
/// var replies = await bot.SendAsync("help");                 // activities the bot posted
/// var result = await bot.InvokeAsync("help.show", new JsonObject());  // the invoke response body
/// </code>
/// Runs in demo mode unless MicrosoftAppId is set in <see cref="BotHarnessOptions.Settings"/>.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private readonly string _contentRoot;
    private int _nextActivity;

    private bool _ownsConnector = true;

    private BotHarness(WebApplication app, FakeConnector connector, Uri baseAddress, string contentRoot)
    {
        _app = app;
        Connector = connector;
        BaseAddress = baseAddress;
        _contentRoot = contentRoot;
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    public FakeConnector Connector { get; }

    public Uri BaseAddress { get; }

    /// <summary>The bot's services (resolve ProactiveMessenger, stores, options...).</summary>
    public IServiceProvider Services => _app.Services;

    public HttpClient Http => _http;

    /// <summary>The bot's own Teams id (recipient of every activity).</summary>
    public string BotId { get; } = "28:cippusers-bot";

    /// <summary>When set, every activity carries it as localTimezone (the tech's time zone, e.g. "Europe/Amsterdam").</summary>
    public string? LocalTimezone { get; set; }

    public static async Task<BotHarness> StartAsync(Action<BotHarnessOptions>? configure = null)
    {
        var options = new BotHarnessOptions();
        configure?.Invoke(options);
        var connector = options.Connector ?? await FakeConnector.StartAsync();
        var contentRoot = Directory.CreateTempSubdirectory("cippusers-bot-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(BotSetup).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddDebug();
        var settings = new Dictionary<string, string?>
        {
            ["Bot:Port"] = "0",
            ["urls"] = "http://127.0.0.1:0",
            ["Bot:DemoEmulator"] = options.UseEmulator ? "true" : "false",
        };
        if (!options.UseEmulator)
        {
            settings["Graph:Partner:ClientId"] = "6a1f0c2e-0000-4000-8000-00000000a11c";
            settings["Graph:Partner:ClientSecret"] = "test-partner-secret";
        }

        for (var i = 0; !options.UseEmulator && i < options.Tenants.Count; i++)
        {
            settings[$"Graph:Tenants:{i}:TenantId"] = options.Tenants[i].TenantId;
            settings[$"Graph:Tenants:{i}:DisplayName"] = options.Tenants[i].DisplayName;
            settings[$"Graph:Tenants:{i}:DefaultDomain"] = options.Tenants[i].DefaultDomain;
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        await builder.AddCippBotAsync();
        options.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapCippBot();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BotHarness(app, connector, new Uri(address), contentRoot) { _ownsConnector = options.Connector is null };
    }

    /// <summary>Sends a message (as a tech typing it) and returns what the bot posted while handling it.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> SendAsync(string text, TestUser? from = null, TestConversation? conversation = null)
    {
        var activity = Activity("message", from, conversation);
        activity["text"] = text;
        return await PostExpectingOkAsync(activity);
    }

    /// <summary>An Action.Submit-style message (older clients): value carries the verb and data.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> SubmitAsync(string verb, JsonObject? data = null, TestUser? from = null, TestConversation? conversation = null)
    {
        var value = data?.DeepClone().AsObject() ?? [];
        value["verb"] = verb;
        var activity = Activity("message", from, conversation);
        activity["value"] = value;
        return await PostExpectingOkAsync(activity);
    }

    /// <summary>Clicks an Action.Execute button: posts an adaptiveCard/action invoke and returns the invoke response.</summary>
    public async Task<InvokeResult> InvokeAsync(string verb, JsonObject? data = null, TestUser? from = null, TestConversation? conversation = null, string? replyToId = null)
    {
        var activity = Activity("invoke", from, conversation);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId ?? "activity-card";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "action-1", ["verb"] = verb, ["data"] = data?.DeepClone() ?? new JsonObject() },
            ["trigger"] = "manual",
        };
        var before = Connector.Count;
        using var response = await PostAsync(activity);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text)?.AsObject();
        return new InvokeResult(response.StatusCode, body, Connector.CallsSince(before));
    }

    /// <summary>The bot is added to a conversation (installation): returns what it posted.</summary>
    public Task<IReadOnlyList<ConnectorCall>> InstallAsync(TestConversation? conversation = null, TestUser? by = null)
    {
        var activity = Activity("conversationUpdate", by, conversation);
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId, ["name"] = "CippUsers" });
        return PostExpectingOkAsync(activity);
    }

    /// <summary>Posts any activity with an optional bearer token; for auth tests.</summary>
    public Task<HttpResponseMessage> PostAsync(JsonObject activity, string? bearerToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(activity) };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new("Bearer", bearerToken);
        }

        return _http.SendAsync(request);
    }

    /// <summary>A Teams-shaped activity from <paramref name="from"/> (default: the tech) in the MSP tenant.</summary>
    public JsonObject Activity(string type, TestUser? from = null, TestConversation? conversation = null, string? tenantId = null)
    {
        from ??= TestUsers.Tech;
        conversation ??= TestConversation.PersonalWith(from);
        tenantId ??= TestUsers.MspTenantId;
        var channelData = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } };
        if (conversation.TeamId is not null)
        {
            channelData["team"] = new JsonObject { ["id"] = conversation.TeamId };
            channelData["channel"] = new JsonObject { ["id"] = conversation.ChannelId };
        }

        return new JsonObject
        {
            ["type"] = type,
            ["id"] = $"incoming-{Interlocked.Increment(ref _nextActivity)}",
            ["channelId"] = "msteams",
            ["serviceUrl"] = Connector.ServiceUrl.ToString(),
            ["timestamp"] = "2026-11-27T09:00:00.000Z",
            ["from"] = new JsonObject { ["id"] = from.ChannelUserId, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "CippUsers" },
            ["conversation"] = new JsonObject
            {
                ["id"] = conversation.Id,
                ["conversationType"] = conversation.Type,
                ["tenantId"] = tenantId,
                ["isGroup"] = conversation.Type != "personal",
            },
            ["channelData"] = channelData,
            ["locale"] = "en-US",
            ["localTimezone"] = LocalTimezone,
        };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        if (_ownsConnector)
        {
            await Connector.DisposeAsync();
        }
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (SQLite) just stays in the temp folder.
        }
    }

    private async Task<IReadOnlyList<ConnectorCall>> PostExpectingOkAsync(JsonObject activity)
    {
        var before = Connector.Count;
        using var response = await PostAsync(activity);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
        {
            throw new InvalidOperationException($"POST /api/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return Connector.CallsSince(before);
    }
}

/// <summary>An adaptiveCard/action invoke response: HTTP status, and the body's statusCode/type/value.</summary>
public sealed record InvokeResult(HttpStatusCode HttpStatus, JsonObject? Body, IReadOnlyList<ConnectorCall> Posted)
{
    public int StatusCode => Body?["statusCode"]?.GetValue<int>() ?? 200;

    public string? Type => Body?["type"]?.GetValue<string>();

    public JsonNode? Value => Body?["value"];

    public bool IsCard => Type == "application/vnd.microsoft.card.adaptive";

    public JsonObject Card => IsCard ? Value!.AsObject() : throw new InvalidOperationException($"The invoke answered {Type} ({StatusCode}), not a card: {Body}");

    public string CardText => CardJson.AllText(Card);

    public override string ToString() => $"HTTP {(int)HttpStatus}: {Body?.ToJsonString()}";

    public string? Message => Type == "application/vnd.microsoft.activity.message" ? Value?.GetValue<string>() : Value?["message"]?.GetValue<string>();
}
