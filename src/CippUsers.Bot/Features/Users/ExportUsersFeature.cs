using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;
using CippUsers.Graph;
using Hangfire;

namespace CippUsers.Bot.Features.Users;

/// `export users <tenant>`: every user of the tenant with every Graph property as a CSV file in the tech's 1:1 chat
/// (DESIGN decision 11). A read: the reader role suffices. Runs as a Hangfire job that updates a progress card in place.
internal sealed class ExportUsersFeature(CustomerTenants tenants, UserDirectoryAccess access, IBackgroundJobClient jobs, ILogger<ExportUsersFeature> log) : IFeature
{
    public void Map(BotRoutes routes)
        => routes.Command("export users", "Every user of a tenant, with every property, as a CSV file in our 1:1 chat.", "export users contoso", ExportAsync, "export");

    private async Task ExportAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var name = arguments.Trim();
        if (name.Length == 0)
        {
            await turn.SendTextAsync("Which tenant? For example: `export users contoso`. `tenants` lists the ones I manage.", ct);
            return;
        }

        var tenant = tenants.Find(name);
        if (tenant is null)
        {
            await turn.SendTextAsync($"I don't know the tenant “{name}”. `tenants` lists the ones I manage.", ct);
            return;
        }

        if (access.CheckRead(turn.Caller, tenant) is { } refusal)
        {
            await turn.SendTextAsync($"You may not export the users of {tenant.DisplayName}: {refusal}", ct);
            return;
        }

        var cardId = await turn.SendCardAsync(ExportCards.Working(tenant.DisplayName, 0), ct);
        var request = new ExportRequest(tenant.TenantId, turn.Caller, turn.Conversation, cardId);
        var jobId = jobs.Enqueue<ExportUsersJob>(job => job.RunAsync(request, CancellationToken.None));
        log.LogInformation("Export of the users of {TenantId} queued for {AadObjectId} as job {JobId}", tenant.TenantId, turn.Caller.AadObjectId, jobId);
    }
}

internal static class ExportUsersSetup
{
    /// <summary>`export users` and its job. Needs AddCippGraph, AddCippJobs, AddCippUsers (access) and AddCippFiles.</summary>
    public static IServiceCollection AddCippUsersExport(this IServiceCollection services)
    {
        services.AddTransient<ExportUsersJob>();
        return services.AddFeature<ExportUsersFeature>();
    }
}

/// <summary>What the export job needs (stored by Hangfire: ids and addresses only).</summary>
public sealed record ExportRequest(string TenantId, Caller Tech, ConversationAddress Conversation, string CardActivityId);
