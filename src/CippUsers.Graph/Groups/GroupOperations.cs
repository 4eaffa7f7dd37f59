using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace CippUsers.Graph;

/// <summary>
/// Security and Microsoft 365 groups and their members. Mail-enabled security groups and distribution lists belong to
/// Exchange Online; dynamic and on-premises synced groups can't be changed by hand. Those are refused with the reason.
/// </summary>
public sealed class GroupOperations
{
    private readonly GraphCalls calls;
    private readonly GraphBatch batch;
    private readonly ILogger<GroupOperations> log;

    internal GroupOperations(GraphCalls calls, GraphBatch batch, ILogger<GroupOperations> log)
    {
        this.calls = calls;
        this.batch = batch;
        this.log = log;
    }

    /// <summary>Groups whose display name or mail starts with <paramref name="text"/> (all groups when empty), up to <paramref name="top"/>.</summary>
    public Task<GraphResult<IReadOnlyList<TenantGroup>>> SearchAsync(string tenantId, string? text, int top, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<TenantGroup>>(tenantId, async (client, t) =>
        {
            var page = await client.Groups.GetAsync(r =>
            {
                r.QueryParameters.Select = TenantGroup.Select;
                r.QueryParameters.Top = Math.Clamp(top, 1, 999);
                if (!string.IsNullOrWhiteSpace(text))
                {
                    var q = UserOperations.Quote(text.Trim());
                    r.QueryParameters.Filter = $"startswith(displayName,{q}) or startswith(mail,{q})";
                }
            }, t);
            return [.. (page?.Value ?? []).Select(TenantGroup.From)];
        }, ct);

    /// <summary>One group by id.</summary>
    public Task<GraphResult<TenantGroup>> GetAsync(string tenantId, string groupId, CancellationToken ct) =>
        calls.RunAsync(tenantId, async (client, t) =>
            TenantGroup.From((await client.Groups[groupId].GetAsync(r => r.QueryParameters.Select = TenantGroup.Select, t))!), ct, groupId);

    /// <summary>Direct members of a group (every page).</summary>
    public Task<GraphResult<IReadOnlyList<GroupMember>>> ListMembersAsync(string tenantId, string groupId, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<GroupMember>>(tenantId, async (client, t) =>
        {
            var members = new List<GroupMember>();
            var page = await client.Groups[groupId].Members.GetAsync(r =>
            {
                r.QueryParameters.Select = ["id", "displayName", "userPrincipalName"];
                r.QueryParameters.Top = 999;
            }, t);
            while (page is not null)
            {
                members.AddRange((page.Value ?? []).Select(ToMember));
                if (string.IsNullOrEmpty(page.OdataNextLink))
                    break;
                page = await new Microsoft.Graph.Groups.Item.Members.MembersRequestBuilder(page.OdataNextLink, client.RequestAdapter).GetAsync(cancellationToken: t);
            }
            return members;
        }, ct, groupId);

    /// <summary>The groups a user is a direct member of (directory roles and administrative units left out).</summary>
    public Task<GraphResult<IReadOnlyList<TenantGroup>>> ListUserGroupsAsync(string tenantId, string userId, CancellationToken ct) =>
        calls.RunAsync<IReadOnlyList<TenantGroup>>(tenantId, async (client, t) =>
        {
            var groups = new List<TenantGroup>();
            var page = await UserOperations.ByIdOrUpn(client, userId).MemberOf.GetAsync(r =>
            {
                r.QueryParameters.Select = TenantGroup.Select;
                r.QueryParameters.Top = 999;
            }, t);
            while (page is not null)
            {
                groups.AddRange((page.Value ?? []).OfType<Group>().Select(TenantGroup.From));
                if (string.IsNullOrEmpty(page.OdataNextLink))
                    break;
                page = await new Microsoft.Graph.Users.Item.MemberOf.MemberOfRequestBuilder(page.OdataNextLink, client.RequestAdapter).GetAsync(cancellationToken: t);
            }
            return groups;
        }, ct, userId);

    /// <summary>Adds a user to a group, after checking the group's members can be changed through Graph.</summary>
    public async Task<GraphResult> AddMemberAsync(string tenantId, string groupId, string userId, CancellationToken ct)
    {
        var group = await GetAsync(tenantId, groupId, ct);
        if (!group.Succeeded)
            return group.Failure;
        if (group.Value!.WhyMembershipIsReadOnly is { } reason)
            return GraphFailure.Refused(reason);
        return await calls.RunAsync(tenantId, (client, t) =>
            client.Groups[groupId].Members.Ref.PostAsync(new ReferenceCreate { OdataId = DirectoryObjectUrl(client, userId) }, cancellationToken: t),
            ct, userId, groupId);
    }

    /// <summary>Removes a user from a group (the membership only; never the user).</summary>
    public async Task<GraphResult> RemoveMemberAsync(string tenantId, string groupId, string userId, CancellationToken ct)
    {
        var group = await GetAsync(tenantId, groupId, ct);
        if (!group.Succeeded)
            return group.Failure;
        if (group.Value!.WhyMembershipIsReadOnly is { } reason)
            return GraphFailure.Refused(reason);
        // DELETE …/members/{id}/$ref: without /$ref Graph would delete the user object itself.
        return await calls.RunAsync(tenantId, (client, t) => client.Groups[groupId].Members[userId].Ref.DeleteAsync(cancellationToken: t), ct, userId, groupId);
    }

    /// <summary>Adds one user to many groups in JSON batches, reporting each group.</summary>
    public async Task<GraphResult<IReadOnlyList<GroupMembershipOutcome>>> AddMemberToGroupsAsync(
        string tenantId, string userId, IReadOnlyCollection<string> groupIds, CancellationToken ct)
    {
        var current = await ListUserGroupsAsync(tenantId, userId, ct);
        if (!current.Succeeded)
            return current.Failure;
        var groups = new List<TenantGroup>();
        foreach (var id in groupIds.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var group = await GetAsync(tenantId, id, ct);
            if (!group.Succeeded)
                return group.Failure;
            groups.Add(group.Value!);
        }
        return GraphResult<IReadOnlyList<GroupMembershipOutcome>>.Ok(await AddAsync(tenantId, userId, groups, current.Value!, ct));
    }

    /// <summary>
    /// Gives <paramref name="toUserId"/> the group memberships of <paramref name="fromUserId"/>: security and Microsoft 365
    /// groups through Graph; dynamic, synced and mail-enabled groups reported as skipped with the reason.
    /// </summary>
    public async Task<GraphResult<GroupCopyReport>> CopyGroupsAsync(string tenantId, string fromUserId, string toUserId, CancellationToken ct)
    {
        var source = await ListUserGroupsAsync(tenantId, fromUserId, ct);
        if (!source.Succeeded)
            return source.Failure;
        var target = await ListUserGroupsAsync(tenantId, toUserId, ct);
        if (!target.Succeeded)
            return target.Failure;
        var outcomes = await AddAsync(tenantId, toUserId, source.Value!, target.Value!, ct);
        log.LogInformation("Copied groups to {UserId} in {TenantId}: {Added} added, {Other} not", toUserId, tenantId,
            outcomes.Count(o => o.Status == GroupChangeStatus.Added), outcomes.Count(o => o.Status != GroupChangeStatus.Added));
        return GraphResult<GroupCopyReport>.Ok(new GroupCopyReport(outcomes));
    }

    private async Task<List<GroupMembershipOutcome>> AddAsync(string tenantId, string userId, IReadOnlyList<TenantGroup> groups,
        IReadOnlyList<TenantGroup> alreadyIn, CancellationToken ct)
    {
        var member = alreadyIn.Select(g => g.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var outcomes = new List<GroupMembershipOutcome>();
        var toAdd = new List<TenantGroup>();
        foreach (var group in groups.OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            if (member.Contains(group.Id))
                outcomes.Add(new(group, GroupChangeStatus.AlreadyMember, "Already a member."));
            else if (group.WhyMembershipIsReadOnly is { } reason)
                outcomes.Add(new(group, GroupChangeStatus.Skipped, reason));
            else
                toAdd.Add(group);
        }

        var items = toAdd.Select((g, i) => new BatchItem((i + 1).ToString(), client =>
            client.Groups[g.Id].Members.Ref.ToPostRequestInformation(new ReferenceCreate { OdataId = DirectoryObjectUrl(client, userId) }), IsWrite: true)).ToList();
        var results = await batch.SendAsync(tenantId, items, ct, userId);
        for (var i = 0; i < toAdd.Count; i++)
        {
            var result = results[(i + 1).ToString()];
            outcomes.Add(result.Succeeded
                ? new(toAdd[i], GroupChangeStatus.Added, null)
                : result.Failure.Message.Contains("already a member", StringComparison.OrdinalIgnoreCase)
                    ? new(toAdd[i], GroupChangeStatus.AlreadyMember, result.Failure.Message)
                    : new(toAdd[i], GroupChangeStatus.Failed, result.Failure.Message));
        }
        return outcomes;
    }

    private static string DirectoryObjectUrl(GraphServiceClient client, string id) =>
        client.RequestAdapter.BaseUrl!.TrimEnd('/') + "/directoryObjects/" + Uri.EscapeDataString(id);

    private static GroupMember ToMember(DirectoryObject o) => o switch
    {
        User u => new GroupMember(u.Id ?? "", u.DisplayName ?? "", u.UserPrincipalName, "user"),
        Group g => new GroupMember(g.Id ?? "", g.DisplayName ?? "", null, "group"),
        _ => new GroupMember(o.Id ?? "", o.AdditionalData.TryGetValue("displayName", out var n) ? n?.ToString() ?? "" : "", null,
            o.OdataType?.Replace("#microsoft.graph.", "", StringComparison.Ordinal) ?? "directoryObject"),
    };
}
