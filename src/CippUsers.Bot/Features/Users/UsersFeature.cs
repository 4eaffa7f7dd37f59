using System.Text.Json;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Teams;
using CippUsers.Graph;
using CippUsers.Graph.Exchange;

namespace CippUsers.Bot.Features.Users;

/// The users table as a conversation (DESIGN decision 11): `users <tenant> [search]`, paging, filters and columns,
/// the user card with the catalog's action menu, and `find <text>` across every tenant the tech may see.
internal sealed class UsersFeature(
    CustomerTenants tenants,
    UserOperations users,
    LicenseOperations licenses,
    GroupOperations groups,
    ManagerOperations managers,
    UserActivityOperations activity,
    ExchangeCommands exchange,
    ActionCatalog catalog,
    UserDirectoryAccess access,
    UserListSessions sessions) : IFeature
{
    public const int PageSize = 10;
    public const int FindPerTenant = 5;
    public const int FindConcurrency = 4;

    public void Map(BotRoutes routes)
    {
        routes.Command("users", "List a tenant's users (paged; filters and columns on the card).", "users contoso jane", ListAsync, "list users");
        routes.Command("find", "Find users in every tenant you may see.", "find jane", FindAsync, "find user");
        routes.Verb(UsersVerbs.Page, PageAsync);
        routes.Verb(UsersVerbs.Apply, ApplyAsync);
        routes.Verb(UsersVerbs.Open, OpenAsync);
    }

    private async Task ListAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var parts = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            await turn.SendTextAsync("Which tenant? For example: `users contoso` or `users contoso jane`. `tenants` lists the ones I manage.", ct);
            return;
        }

        var tenant = tenants.Find(parts[0]);
        if (tenant is null)
        {
            await turn.SendTextAsync($"I don't know the tenant “{parts[0]}”. `tenants` lists the ones I manage.", ct);
            return;
        }

        if (access.CheckRead(turn.Caller, tenant) is { } refusal)
        {
            await turn.SendTextAsync($"You may not list the users of {tenant.DisplayName}: {refusal}", ct);
            return;
        }

        var session = sessions.Start(turn.Caller.AadObjectId, tenant.TenantId, parts.Length > 1 ? parts[1] : null, UserFilter.None, UserColumns.Default);
        await ShowPageAsync(turn, tenant, session, 0, ct);
    }

    private async Task PageAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var session = sessions.Find(Read(data, "s"), turn.Caller.AadObjectId);
        if (session is null || tenants.Find(session.TenantId) is not { } tenant)
        {
            await AnswerAsync(turn, "This list has expired. Send `users <tenant>` again.", ct);
            return;
        }

        var index = int.TryParse(Read(data, "p"), out var p) ? p : 0;
        await ShowPageAsync(turn, tenant, session, index, ct);
    }

    private async Task ApplyAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var old = sessions.Find(Read(data, "s"), turn.Caller.AadObjectId);
        if (old is null || tenants.Find(old.TenantId) is not { } tenant)
        {
            await AnswerAsync(turn, "This list has expired. Send `users <tenant>` again.", ct);
            return;
        }

        var search = Read(data, UsersCards.SearchInput);
        var session = sessions.Start(turn.Caller.AadObjectId, tenant.TenantId, string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
            UserFilter.Parse(Read(data, UsersCards.FilterInput)), UserColumns.Parse(Read(data, UsersCards.ColumnsInput)));
        await ShowPageAsync(turn, tenant, session, 0, ct);
    }

    private async Task ShowPageAsync(BotTurn turn, CustomerTenant tenant, UserListSession session, int index, CancellationToken ct)
    {
        // Access is asked again on every page: a role removed mid-session stops the next click.
        if (access.CheckRead(turn.Caller, tenant) is { } refusal)
        {
            await AnswerAsync(turn, $"You may not list the users of {tenant.DisplayName}: {refusal}", ct);
            return;
        }

        if (!session.TryGetLink(index, out var link))
        {
            await AnswerAsync(turn, "That page is not known yet; use Next from the page before it.", ct);
            return;
        }

        var query = link is null ? session.Filter.ToQuery(session.Search, PageSize) : new UserQuery { NextLink = link, Top = PageSize };
        var pageTask = users.ListPageAsync(tenant.TenantId, query, ct);
        var skusTask = session.Columns.Contains("assignedLicenses")
            ? UserDetails.SkuNamesAsync(licenses, tenant.TenantId, ct)
            : Task.FromResult<IReadOnlyDictionary<Guid, string>>(new Dictionary<Guid, string>());
        var page = await pageTask;
        var skus = await skusTask;
        if (!page.Succeeded)
        {
            await AnswerAsync(turn, $"I could not list the users of {tenant.DisplayName}: {page.Failure!.Message}", ct);
            return;
        }

        session.RememberNext(index, page.Value!.NextLink);
        var bulk = catalog.All.Where(a => a.AllowsBulk).Select(a => new MenuAction(a, access.WhyNot(turn.Caller, a, tenant, 2))).ToList();
        await AnswerAsync(turn, UsersCards.List(tenant, session, index, page.Value, skus, bulk, PageSize), ct);
    }

    private async Task OpenAsync(BotTurn turn, JsonElement data, CancellationToken ct)
    {
        var tenant = tenants.Find(Read(data, "t") ?? "");
        var userId = Read(data, "u");
        if (tenant is null || string.IsNullOrWhiteSpace(userId))
        {
            await AnswerAsync(turn, "That user link is not valid any more.", ct);
            return;
        }

        if (access.CheckRead(turn.Caller, tenant) is { } refusal)
        {
            await AnswerAsync(turn, $"You may not view the users of {tenant.DisplayName}: {refusal}", ct);
            return;
        }

        var details = await UserDetails.ReadAsync(users, licenses, groups, managers, activity, exchange, tenant.TenantId, userId, ct);
        if (!details.Succeeded)
        {
            await AnswerAsync(turn, $"I could not read that user in {tenant.DisplayName}: {details.Failure!.Message}", ct);
            return;
        }

        var menu = catalog.All.Select(a => new MenuAction(a, access.WhyNot(turn.Caller, a, tenant, 1))).ToList();
        await AnswerAsync(turn, UsersCards.User(tenant, details.Value!, menu), ct);
    }

    private async Task FindAsync(BotTurn turn, string arguments, CancellationToken ct)
    {
        var text = arguments.Trim();
        if (text.Length < 2)
        {
            await turn.SendTextAsync("Find whom? Give at least two characters, for example: `find jane`.", ct);
            return;
        }

        var readable = access.Readable(turn.Caller);
        if (readable.Count == 0)
        {
            await turn.SendTextAsync("You may not read the users of any tenant.", ct);
            return;
        }

        // Bounded: a few tenants at a time, each within its own Graph limits (the library throttles per tenant).
        using var gate = new SemaphoreSlim(FindConcurrency);
        var searches = readable.Select(async tenant =>
        {
            await gate.WaitAsync(ct);
            try
            {
                return (tenant, await users.ListPageAsync(tenant.TenantId, new UserQuery { Search = text, Top = FindPerTenant, Count = true }, ct));
            }
            finally
            {
                gate.Release();
            }
        });
        var results = await Task.WhenAll(searches);
        await turn.SendCardAsync(UsersCards.Find(text, [.. results.OrderBy(r => r.tenant.DisplayName, StringComparer.OrdinalIgnoreCase)], FindPerTenant), ct);
    }

    private static async Task AnswerAsync(BotTurn turn, AdaptiveCard card, CancellationToken ct)
    {
        if (turn.IsInvoke)
        {
            turn.RespondWithCard(card);
            return;
        }

        await turn.SendCardAsync(card, ct);
    }

    private static async Task AnswerAsync(BotTurn turn, string text, CancellationToken ct)
    {
        if (turn.IsInvoke)
        {
            turn.RespondWithMessage(text);
            return;
        }

        await turn.SendTextAsync(text, ct);
    }

    internal static string? Read(JsonElement data, string name)
        => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
