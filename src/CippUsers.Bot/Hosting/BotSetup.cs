using System.Net;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Features.Help;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Files;
using CippUsers.Bot.Features.Tenants;
using CippUsers.Bot.Features.Users;
using CippUsers.Bot.Jobs;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Teams;
using CippUsers.Graph;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CippUsers.Bot.Hosting;

internal static class BotSetup
{
    /// <summary>Registers the bot. The mode (demo or production) follows from configuration alone: no MicrosoftAppId
    /// means demo, which binds 127.0.0.1 only and hosts the tenant emulator in-process.</summary>
    public static async Task<WebApplicationBuilder> AddCippBotAsync(this WebApplicationBuilder builder, CancellationToken ct = default)
    {
        var auth = ReadValidated(builder.Configuration);
        var bot = builder.Configuration.GetSection(BotOptions.Section).Get<BotOptions>() ?? new BotOptions();
        if (auth.IsDemo)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, bot.Port));
            await DemoMode.ConfigureAsync(builder, ct);
        }

        // The database lives in the bot's data folder unless configured elsewhere.
        if (string.IsNullOrWhiteSpace(builder.Configuration["Storage:SqlitePath"]))
        {
            builder.Configuration.AddInMemoryCollection([new("Storage:SqlitePath", Path.Combine(bot.DataDirectory, "cippusers.db"))]);
        }

        var services = builder.Services;
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BotAuthenticationOptions>().Bind(builder.Configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotAuthenticationOptions>, BotAuthenticationOptionsValidator>();
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(BotAuthentication.Create);
        services.AddSingleton<CloudAdapter, CippCloudAdapter>();
        services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<CloudAdapter>());
        services.AddSingleton<OutboundThrottle>();
        services.AddSingleton<TeamsConnector>();
        services.AddSingleton(sp => new ProactiveMessenger(sp.GetRequiredService<TeamsConnector>()));
        services.AddSingleton(BuildRoutes);
        services.AddSingleton<BotDispatcher>();
        services.AddTransient<IBot, CippTeamsBot>();

        services.AddCippFiles();
        services.AddCippGraph(builder.Configuration);
        services.AddCippJobs(builder.Configuration).AddCippSafety().AddCippUsers().AddCippUsersExport().AddCippAddUser().AddCippImports();
        services.AddFeature<HelpFeature>();
        services.AddFeature<TenantsFeature>();
        return builder;
    }

    public static WebApplication MapCippBot(this WebApplication app)
    {
        // Build the route table now so a duplicate command or verb stops start-up, not the first message.
        app.Services.GetRequiredService<BotRoutes>();
        var auth = app.Services.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
        var messages = app.MapPost("/api/messages", ProcessAsync);
        if (auth.IsDemo)
        {
            messages.AddEndpointFilter(DemoMode.LoopbackOnly);
        }

        app.MapCippAddUser();
        app.MapCippFiles();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok", mode = auth.IsDemo ? "demo" : "production" }));
        return app;
    }

    private static async Task ProcessAsync(HttpRequest request, HttpResponse response, IBotFrameworkHttpAdapter adapter, IBot bot, ILogger<CippCloudAdapter> log, CancellationToken ct)
    {
        try
        {
            await adapter.ProcessAsync(request, response, bot, ct);
        }
        catch (SecurityTokenException e) when (!response.HasStarted)
        {
            // CloudAdapter answers 401 only for UnauthorizedAccessException; a bad signature or an unsigned token
            // surfaces as a SecurityTokenException and would otherwise be a 500.
            log.LogWarning("Refused a Bot Framework request: {Reason}", e.GetType().Name);
            response.StatusCode = StatusCodes.Status401Unauthorized;
        }
    }

    private static BotAuthenticationOptions ReadValidated(IConfiguration configuration)
    {
        var auth = configuration.Get<BotAuthenticationOptions>() ?? new BotAuthenticationOptions();
        var result = new BotAuthenticationOptionsValidator().Validate(null, auth);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BotAuthenticationOptions), result.Failures);
        }

        return auth;
    }

    private static BotRoutes BuildRoutes(IServiceProvider services)
    {
        var routes = new BotRoutes();
        foreach (var feature in services.GetServices<IFeature>())
        {
            feature.Map(routes);
        }

        return routes;
    }
}
