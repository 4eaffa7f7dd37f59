using CippUsers.Bot.Teams;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;

namespace CippUsers.Bot.Hosting;

internal static class BotSetup
{
    public static WebApplicationBuilder AddCippBot(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BotFrameworkAuthentication, ConfigurationBotFrameworkAuthentication>();
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter, CloudAdapter>();
        builder.Services.AddTransient<IBot, CippTeamsBot>();
        return builder;
    }

    public static WebApplication MapCippBot(this WebApplication app)
    {
        app.MapPost("/api/messages", (HttpRequest request, HttpResponse response, IBotFrameworkHttpAdapter adapter, IBot bot, CancellationToken ct)
            => adapter.ProcessAsync(request, response, bot, ct));
        app.MapGet("/healthz", () => Results.Ok("ok"));
        return app;
    }
}
