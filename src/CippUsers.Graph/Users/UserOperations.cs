using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users;
using Microsoft.Graph.Users.Item;

namespace CippUsers.Graph;

/// <summary>Users of a customer tenant: find, list, create, change, enable/disable, delete.</summary>
public sealed partial class UserOperations
{
    private readonly GraphCalls calls;
    private readonly ILogger<UserOperations> log;

    private readonly GraphBatch batch;

    internal UserOperations(GraphCalls calls, GraphBatch batch, ILogger<UserOperations> log)
    {
        this.calls = calls;
        this.batch = batch;
        this.log = log;
    }

    /// <summary>One user by object id or UPN.</summary>
    public Task<GraphResult<TenantUser>> GetAsync(string tenantId, string idOrUpn, CancellationToken ct) =>
        calls.RunAsync(tenantId, async (client, t) =>
        {
            var user = await ByIdOrUpn(client, idOrUpn, TenantUser.Select).GetAsync(r => r.QueryParameters.Select = TenantUser.Select, t);
            return TenantUser.From(user!);
        }, ct, idOrUpn);

    /// <summary>
    /// Users matching what a tech typed: an object id, a UPN, a mail address, or a display name (exact matches first,
    /// then names starting with the text). An empty list means nobody matched.
    /// </summary>
    public async Task<GraphResult<IReadOnlyList<TenantUser>>> ResolveAsync(string tenantId, string text, CancellationToken ct)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0)
            return GraphResult<IReadOnlyList<TenantUser>>.Ok([]);

        if (Guid.TryParse(text, out _) || text.Contains('@', StringComparison.Ordinal))
        {
            var direct = await GetAsync(tenantId, text, ct);
            if (direct.Succeeded)
                return GraphResult<IReadOnlyList<TenantUser>>.Ok([direct.Value!]);
            if (direct.Failure.Kind != GraphFailureKind.NotFound)
                return direct.Failure;
            if (Guid.TryParse(text, out _))
                return GraphResult<IReadOnlyList<TenantUser>>.Ok([]);
            var literal = Quote(text);
            return await ListAsync(tenantId, $"mail eq {literal} or proxyAddresses/any(p:p eq {Quote("smtp:" + text)})", advanced: true, top: 10, ct);
        }

        var exact = await ListAsync(tenantId, $"displayName eq {Quote(text)}", advanced: false, top: 25, ct);
        if (!exact.Succeeded || exact.Value!.Count > 0)
            return exact;
        return await ListAsync(tenantId, $"startswith(displayName,{Quote(text)}) or startswith(userPrincipalName,{Quote(text)})", advanced: false, top: 25, ct);
    }

    /// <summary>One page of the users table.</summary>
    public Task<GraphResult<UserPage>> ListPageAsync(string tenantId, UserQuery query, CancellationToken ct) =>
        calls.RunAsync(tenantId, async (client, t) =>
        {
            UserCollectionResponse? page;
            if (!string.IsNullOrEmpty(query.NextLink))
            {
                // The whole next link is followed as Graph handed it out; it keeps the original query options.
                page = await new UsersRequestBuilder(query.NextLink, client.RequestAdapter)
                    .GetAsync(r => r.Headers.Add("ConsistencyLevel", "eventual"), t);
            }
            else
            {
                page = await client.Users.GetAsync(r =>
                {
                    r.QueryParameters.Select = TenantUser.Select;
                    r.QueryParameters.Top = Math.Clamp(query.Top, 1, 999);
                    r.QueryParameters.Filter = FilterOf(query);
                    if (!string.IsNullOrWhiteSpace(query.Search))
                        r.QueryParameters.Search = SearchOf(query.Search);
                    if (query.OrderBy is "displayName" or "userPrincipalName")
                        r.QueryParameters.Orderby = [query.OrderBy];
                    // Advanced query: needed for $search, $count, ne, any() and $filter together with $orderby.
                    r.QueryParameters.Count = true;
                    r.Headers.Add("ConsistencyLevel", "eventual");
                }, t);
            }
            return new UserPage(
                [.. (page?.Value ?? []).Select(TenantUser.From)],
                page?.OdataNextLink,
                query.Count || !string.IsNullOrEmpty(query.NextLink) ? page?.OdataCount : null);
        }, ct);

    /// <summary>
    /// Users for a picker (manager, copy groups from): $select id,displayName,userPrincipalName, at most
    /// <paramref name="top"/>, ordered by display name, with the total count. <paramref name="text"/> null lists everyone
    /// (use the count to decide whether the whole tenant fits one list); otherwise $search on name, UPN and mail.
    /// </summary>
    public Task<GraphResult<UserChoicePage>> ChoicesAsync(string tenantId, string? text, int top, CancellationToken ct) =>
        calls.RunAsync(tenantId, async (client, t) =>
        {
            var page = await client.Users.GetAsync(r =>
            {
                r.QueryParameters.Select = ["id", "displayName", "userPrincipalName"];
                r.QueryParameters.Top = Math.Clamp(top, 1, 999);
                if (!string.IsNullOrWhiteSpace(text))
                    r.QueryParameters.Search = SearchOf(text);
                r.QueryParameters.Orderby = ["displayName"];
                r.QueryParameters.Count = true;
                r.Headers.Add("ConsistencyLevel", "eventual");
            }, t);
            return new UserChoicePage(
                [.. (page?.Value ?? []).Where(u => u.Id is not null).Select(u => new UserChoice(u.Id!, u.DisplayName ?? u.UserPrincipalName ?? u.Id!, u.UserPrincipalName ?? ""))],
                page?.OdataCount);
        }, ct);

    /// <summary>Creates a user; follow-up calls about it wait out replication delay.</summary>
    public async Task<GraphResult<TenantUser>> CreateAsync(string tenantId, NewUser user, CancellationToken ct)
    {
        if (Invalid(user) is { } refused)
            return refused;
        var body = ToGraph(user);
        var created = await calls.RunAsync(tenantId, async (client, t) => TenantUser.From((await client.Users.PostAsync(body, cancellationToken: t))!), ct);
        return Created(tenantId, user, body, created);
    }

    /// <summary>
    /// Creates many users in JSON batches of 20 (one round trip per 20 users, each still one write of the budget).
    /// Results come back in the order of <paramref name="users"/>.
    /// </summary>
    public async Task<IReadOnlyList<GraphResult<TenantUser>>> CreateManyAsync(string tenantId, IReadOnlyList<NewUser> users, CancellationToken ct)
    {
        var results = new GraphResult<TenantUser>[users.Count];
        if (!calls.IsKnown(tenantId))
        {
            Array.Fill(results, GraphResult<TenantUser>.Fail(GraphCalls.UnknownTenant));
            return results;
        }

        var bodies = new User?[users.Count];
        var items = new List<BatchItem>();
        for (var i = 0; i < users.Count; i++)
        {
            if (Invalid(users[i]) is { } refused)
            {
                results[i] = refused;
                continue;
            }
            bodies[i] = ToGraph(users[i]);
            var user = users[i];
            // A fresh body per send: the SDK's backing store sends only changed values once a body was serialized, so a
            // retried item (after 429/503) built from the same object would go out empty.
            items.Add(new BatchItem(i.ToString(System.Globalization.CultureInfo.InvariantCulture), client => client.Users.ToPostRequestInformation(ToGraph(user)), IsWrite: true));
        }

        var answers = await batch.SendAsync(tenantId, items, ct);
        foreach (var item in items)
        {
            var i = int.Parse(item.Id, System.Globalization.CultureInfo.InvariantCulture);
            var answer = answers[item.Id];
            GraphResult<TenantUser> result;
            if (!answer.Succeeded)
                result = answer.Failure;
            else
            {
                var created = answer.Value is null ? null
                    : await Microsoft.Kiota.Abstractions.Serialization.KiotaJsonSerializer.DeserializeAsync(answer.Value, User.CreateFromDiscriminatorValue, ct);
                result = created?.Id is null
                    ? GraphErrors.FromResponse(500, null, null, null)
                    : GraphResult<TenantUser>.Ok(TenantUser.From(created));
            }
            results[i] = Created(tenantId, users[i], bodies[i]!, result);
        }
        return results;
    }

    private GraphResult<TenantUser> Created(string tenantId, NewUser user, User body, GraphResult<TenantUser> created)
    {
        if (!created.Succeeded)
            return created;
        var value = created.Value!;
        calls.Recent.Remember(tenantId, value.Id, value.UserPrincipalName);
        log.LogInformation("Created user {UserId} in {TenantId}", value.Id, tenantId);
        // The create answer carries only default properties; fill in what we sent rather than read back a replica.
        return GraphResult<TenantUser>.Ok(value with
        {
            AccountEnabled = user.AccountEnabled,
            MailNickname = body.MailNickname,
            UsageLocation = body.UsageLocation,
            Department = body.Department,
            CompanyName = body.CompanyName,
            City = body.City,
            Country = body.Country,
            State = body.State,
            StreetAddress = body.StreetAddress,
            PostalCode = body.PostalCode,
            UserType = value.UserType ?? "Member",
        });
    }

    private static GraphFailure? Invalid(NewUser user)
    {
        if (string.IsNullOrWhiteSpace(user.Password))
            return GraphFailure.Refused("A password is required to create a user.");
        if (string.IsNullOrWhiteSpace(user.DisplayName))
            return GraphFailure.Refused("A display name is required to create a user.");
        if (!user.UserPrincipalName.Contains('@', StringComparison.Ordinal))
            return GraphFailure.Refused("The user principal name must look like alias@domain.");
        return null;
    }

    private static User WithAccountEnabled(bool enabled)
    {
        var body = Bodies.New<User>();
        body.AccountEnabled = enabled;
        return body;
    }

    internal static User ToGraph(NewUser user)
    {
        // The SDK's backing store sends every property that was assigned, null included, so assign only what is set.
        var body = Bodies.New<User>();
        body.AccountEnabled = user.AccountEnabled;
        body.DisplayName = user.DisplayName.Trim();
        body.MailNickname = string.IsNullOrWhiteSpace(user.MailNickname) ? user.UserPrincipalName.Split('@')[0] : user.MailNickname;
        body.UserPrincipalName = user.UserPrincipalName.Trim();
        var password = Bodies.New<PasswordProfile>();
        password.Password = user.Password;
        password.ForceChangePasswordNextSignIn = user.ForceChangePasswordNextSignIn;
        body.PasswordProfile = password;
        if (Value(user.GivenName) is { } givenName) body.GivenName = givenName;
        if (Value(user.Surname) is { } surname) body.Surname = surname;
        if (Value(user.JobTitle) is { } jobTitle) body.JobTitle = jobTitle;
        if (Value(user.Department) is { } department) body.Department = department;
        if (Value(user.CompanyName) is { } companyName) body.CompanyName = companyName;
        if (Value(user.OfficeLocation) is { } officeLocation) body.OfficeLocation = officeLocation;
        if (Value(user.MobilePhone) is { } mobilePhone) body.MobilePhone = mobilePhone;
        if (user.BusinessPhones.Count > 0) body.BusinessPhones = [.. user.BusinessPhones];
        if (Value(user.StreetAddress) is { } streetAddress) body.StreetAddress = streetAddress;
        if (Value(user.City) is { } city) body.City = city;
        if (Value(user.State) is { } state) body.State = state;
        if (Value(user.PostalCode) is { } postalCode) body.PostalCode = postalCode;
        if (Value(user.Country) is { } country) body.Country = country;
        if (Value(user.UsageLocation) is { } usageLocation) body.UsageLocation = usageLocation;
        if (user.OtherMails.Count > 0) body.OtherMails = [.. user.OtherMails];
        return body;
    }

    /// <summary>Sends only the changed properties (and explicit clears). No change: succeeds without calling Graph.</summary>
    public async Task<GraphResult> UpdateAsync(string tenantId, string userId, UserChanges changes, CancellationToken ct)
    {
        if (changes.IsEmpty)
            return GraphResult.Ok();
        var body = changes.ToGraph();
        var result = await calls.RunAsync(tenantId, (client, t) => ByIdOrUpn(client, userId).PatchAsync(body, cancellationToken: t), ct, userId);
        return result.WithoutValue();
    }

    /// <summary>Deletes (soft-deletes for 30 days) a user.</summary>
    public Task<GraphResult> DeleteAsync(string tenantId, string userId, CancellationToken ct) =>
        calls.RunAsync(tenantId, (client, t) => ByIdOrUpn(client, userId).DeleteAsync(cancellationToken: t), ct, userId);

    /// <summary>
    /// Allows or blocks sign-in. Refused for users synced from on-premises AD, where the next sync would undo it.
    /// </summary>
    public async Task<GraphResult> SetAccountEnabledAsync(string tenantId, string userId, bool enabled, CancellationToken ct)
    {
        var current = await calls.RunAsync(tenantId, (client, t) => ByIdOrUpn(client, userId, ["id", "accountEnabled", "onPremisesSyncEnabled"])
            .GetAsync(r => r.QueryParameters.Select = ["id", "accountEnabled", "onPremisesSyncEnabled"], t), ct, userId);
        if (!current.Succeeded)
            return current.Failure;
        if (current.Value?.OnPremisesSyncEnabled == true)
            return GraphFailure.Refused("This user is synced from on-premises Active Directory. Enable or disable the account in the local AD; a change here would be reverted by the next sync.");
        return (await calls.RunAsync(tenantId, (client, t) => ByIdOrUpn(client, userId)
            .PatchAsync(WithAccountEnabled(enabled), cancellationToken: t), ct, userId)).WithoutValue();
    }

    private Task<GraphResult<IReadOnlyList<TenantUser>>> ListAsync(string tenantId, string filter, bool advanced, int top, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<TenantUser>>(tenantId, async (client, t) =>
        {
            var page = await client.Users.GetAsync(r =>
            {
                r.QueryParameters.Select = TenantUser.Select;
                r.QueryParameters.Filter = filter;
                r.QueryParameters.Top = top;
                if (advanced)
                {
                    r.QueryParameters.Count = true;
                    r.Headers.Add("ConsistencyLevel", "eventual");
                }
            }, t);
            return [.. (page?.Value ?? []).Select(TenantUser.From)];
        }, ct);

    /// <summary>
    /// /users/{id or UPN}. A UPN starting with '$' needs the key form /users('$x@y') (Graph answers 400 otherwise);
    /// a raw-URL builder ignores query parameters, so <paramref name="select"/> goes into that URL directly.
    /// Guest UPNs with '#EXT#' are escaped by the SDK's URL template.
    /// </summary>
    internal static UserItemRequestBuilder ByIdOrUpn(GraphServiceClient client, string idOrUpn, string[]? select = null)
    {
        if (!idOrUpn.StartsWith('$'))
            return client.Users[idOrUpn];
        var url = client.RequestAdapter.BaseUrl!.TrimEnd('/') + "/users('" + Uri.EscapeDataString(idOrUpn.Replace("'", "''", StringComparison.Ordinal)) + "')";
        if (select is { Length: > 0 })
            url += "?$select=" + string.Join(',', select);
        return new UserItemRequestBuilder(url, client.RequestAdapter);
    }

    internal static string? FilterOf(UserQuery query)
    {
        var clauses = new List<string>();
        if (query.AccountEnabled is { } enabled)
            clauses.Add($"accountEnabled eq {(enabled ? "true" : "false")}");
        if (!string.IsNullOrWhiteSpace(query.UserType))
            clauses.Add($"userType eq {Quote(query.UserType)}");
        if (query.HasSkuId is { } sku)
            clauses.Add($"assignedLicenses/any(x:x/skuId eq {sku})");
        if (!string.IsNullOrWhiteSpace(query.Filter))
            clauses.Add("(" + query.Filter + ")");
        return clauses.Count == 0 ? null : string.Join(" and ", clauses);
    }

    internal static string SearchOf(string text)
    {
        // Each clause sits in double quotes; a double quote inside the text would end it, so drop those.
        var clean = text.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal).Trim();
        return $"\"displayName:{clean}\" OR \"userPrincipalName:{clean}\" OR \"mail:{clean}\"";
    }

    internal static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
