using System.Text.Json;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Users;

/// What the Edit User card offers for licences and groups: the tenant's SKUs with free seats, the user's groups and the
/// groups they could join. A part that could not be read is null with the reason in <see cref="Unavailable"/>.
internal sealed record EditUserChoices(
    IReadOnlyList<LicenseSku>? Skus,
    IReadOnlyList<TenantGroup>? Current,
    IReadOnlyList<TenantGroup>? Joinable,
    IReadOnlyList<string> Unavailable)
{
    public static EditUserChoices None { get; } = new(null, null, null, []);

    /// What the tech had chosen when the card comes back with an error (input id → value), so nothing is lost.
    public IReadOnlyDictionary<string, string>? Submitted { get; init; }

    public string? Value(string input) => Submitted is { } values && values.TryGetValue(input, out var v) ? v : null;
}

/// Edit User's licences and group memberships (cipp-behaviour.md §4.2 steps 3 and 5, §1.8): card section, the changed-only
/// reading of a submit, and the operation parameters. Machine keys start with '_' (hidden from cards and the audit); the
/// readable keys say old → new on the confirmation card.
internal static class EditUserMemberships
{
    public const string LicensesInput = "licenses";
    public const string KeepGroupsInput = "keepGroups";
    public const string AddGroupsInput = "addGroups";
    public const string AddGroupNamesInput = "addGroupNames";
    public const string CopyFromInput = "copyGroupsFrom";

    public const string AddLicenses = "_licenses.add";
    public const string RemoveLicenses = "_licenses.remove";
    public const string AddGroups = "_groups.add";
    public const string RemoveGroups = "_groups.remove";
    public const string CopyGroupsFrom = "_groups.copyFrom";

    /// The readable parameters (shown on the confirmation and status cards, written to the audit).
    public const string LicensesShown = "licenses";
    public const string GroupsShown = "groups";
    public const string CopyShown = "copy groups from";

    /// The parameter keys that are not profile fields.
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AddLicenses, RemoveLicenses, AddGroups, RemoveGroups, CopyGroupsFrom, LicensesShown, GroupsShown, CopyShown,
    };

    /// Most joinable groups offered as choices; others are added by name.
    public const int MaxJoinable = 50;

    public static async Task<EditUserChoices> ReadAsync(LicenseOperations licenses, GroupOperations groups, string tenantId, string userId, CancellationToken ct)
    {
        var skusTask = licenses.ListSkusAsync(tenantId, ct);
        var currentTask = groups.ListUserGroupsAsync(tenantId, userId, ct);
        var allTask = groups.SearchAsync(tenantId, null, 999, ct);
        await Task.WhenAll(skusTask, currentTask, allTask);
        var (skus, current, all) = (await skusTask, await currentTask, await allTask);
        var unavailable = new List<string>();
        if (!skus.Succeeded)
            unavailable.Add($"Licenses cannot be changed here now: {skus.Failure!.Message}");
        if (!current.Succeeded || !all.Succeeded)
            unavailable.Add($"Groups cannot be changed here now: {(current.Failure ?? all.Failure)!.Message}");
        IReadOnlyList<TenantGroup>? joinable = null;
        if (current.Succeeded && all.Succeeded)
        {
            var member = current.Value!.Select(g => g.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            joinable = [.. all.Value!.Where(g => !member.Contains(g.Id) && g.WhyMembershipIsReadOnly is null).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase)];
        }

        return new EditUserChoices(
            skus.Succeeded ? [.. skus.Value!.Where(s => s.AssignableToUsers)] : null,
            current.Succeeded && all.Succeeded ? current.Value : null,
            joinable,
            unavailable);
    }

    /// The card section; <paramref name="original"/> receives the baseline (held SKUs, current groups) for "changed".
    public static void AddTo(AdaptiveCard card, TenantUser user, EditUserChoices choices, JsonObject original)
    {
        foreach (var reason in choices.Unavailable)
            card.Add(new TextBlock(reason) { Color = TextColor.Warning, Wrap = true, Size = TextSize.Small });

        if (choices.Skus is { } skus)
        {
            var held = user.AssignedSkuIds.Select(id => id.ToString()).ToList();
            original[LicensesInput] ??= string.Join(',', held);
            var offered = skus.Select(s => new Choice($"{s.FriendlyName} ({s.Available} available)", s.SkuId.ToString())).ToList();
            offered.AddRange(held.Where(h => skus.All(s => s.SkuId.ToString() != h)).Select(h => new Choice($"{h} (not a subscription of this tenant)", h)));
            if (offered.Count > 0)
            {
                card.Add(new ChoiceSetInput(LicensesInput, offered)
                {
                    Label = "Licenses (tick to assign, untick to remove)",
                    IsMultiSelect = true,
                    Style = ChoiceSetStyle.Expanded,
                    Value = choices.Value(LicensesInput) ?? string.Join(',', held),
                });
            }
        }

        if (choices.Current is { } current && choices.Joinable is { } joinable)
        {
            var changeable = current.Where(g => g.WhyMembershipIsReadOnly is null).OrderBy(g => g.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
            original[KeepGroupsInput] ??= string.Join(',', changeable.Select(g => g.Id));
            if (changeable.Count > 0)
            {
                card.Add(new ChoiceSetInput(KeepGroupsInput, changeable.Select(g => new Choice(g.DisplayName, g.Id)))
                {
                    Label = $"Groups ({current.Count}; untick to remove)",
                    IsMultiSelect = true,
                    Style = ChoiceSetStyle.Expanded,
                    Value = choices.Value(KeepGroupsInput) ?? string.Join(',', changeable.Select(g => g.Id)),
                });
            }

            var fixedGroups = current.Where(g => g.WhyMembershipIsReadOnly is not null).ToList();
            if (fixedGroups.Count > 0)
            {
                card.Add(new TextBlock("Not changeable here: " + string.Join(" ", fixedGroups.Select(g => g.WhyMembershipIsReadOnly))) { IsSubtle = true, Wrap = true, Size = TextSize.Small });
            }

            if (joinable.Count > 0)
            {
                card.Add(new ChoiceSetInput(AddGroupsInput, joinable.Take(MaxJoinable).Select(g => new Choice($"{g.DisplayName} ({Kind(g.Kind)})", g.Id)))
                {
                    Label = "Add to groups",
                    IsMultiSelect = true,
                    Placeholder = "Choose groups",
                    Value = choices.Value(AddGroupsInput),
                });
            }

            card.Add(new TextInput(AddGroupNamesInput) { Label = "Add to other groups (exact names, comma-separated)", MaxLength = 1000, Value = choices.Value(AddGroupNamesInput) });
            card.Add(new TextInput(CopyFromInput) { Label = "Copy groups from user (UPN or display name)", MaxLength = 256, Value = choices.Value(CopyFromInput) });
        }
    }

    /// The licence and group inputs of a submit, to put back on a card shown again.
    public static Dictionary<string, string> SubmittedValues(JsonElement data)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in new[] { LicensesInput, KeepGroupsInput, AddGroupsInput, AddGroupNamesInput, CopyFromInput })
        {
            if (Submitted(data, input) is { } value)
                values[input] = value;
        }

        return values;
    }

    /// The licence and group changes a submit asks for, against the tenant as it is now: parameters, or the error to
    /// show on the card. Only what the tech changed counts; everything is re-read, nothing on the card is trusted.
    public static async Task<(Dictionary<string, string> Parameters, string? Error)> ChangesAsync(
        JsonElement data, CustomerTenant tenant, TenantUser before,
        UserOperations users, LicenseOperations licenses, GroupOperations groups, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var original = data.ValueKind == JsonValueKind.Object && data.TryGetProperty(EditUserForm.OriginalKey, out var o) && o.ValueKind == JsonValueKind.Object ? o : default;

        // Licences: ticked minus baseline is added, baseline minus ticked removed; what the user already has (or lacks) is left out.
        if (Submitted(data, LicensesInput) is { } ticked && Submitted(original, LicensesInput) is { } baseline)
        {
            var held = before.AssignedSkuIds.ToHashSet();
            var tickedIds = Ids(ticked).Select(Guid.Parse).ToHashSet();
            var baselineIds = Ids(baseline).Select(Guid.Parse).ToHashSet();
            var add = tickedIds.Except(baselineIds).Where(id => !held.Contains(id)).ToList();
            var remove = baselineIds.Except(tickedIds).Where(held.Contains).ToList();
            if (add.Count > 0 || remove.Count > 0)
            {
                var skus = await licenses.ListSkusAsync(tenant.TenantId, ct);
                if (!skus.Succeeded)
                    return (parameters, $"The tenant's licences could not be read: {skus.Failure!.Message}");
                var names = skus.Value!.ToDictionary(s => s.SkuId, s => s.FriendlyName);
                if (add.FirstOrDefault(id => !names.ContainsKey(id)) is var unknown && unknown != Guid.Empty)
                    return (parameters, $"{unknown} is not a licence this tenant subscribes to.");
                if (add.Select(id => skus.Value!.First(s => s.SkuId == id)).FirstOrDefault(s => s.Available == 0) is { } full)
                    return (parameters, $"{full.FriendlyName} has no free seats (0 available). Buy more or free one up first.");
                string Name(Guid id) => names.TryGetValue(id, out var n) ? n : id.ToString();
                var after = before.AssignedSkuIds.Except(remove).Concat(add).ToList();
                parameters[AddLicenses] = string.Join(',', add);
                parameters[RemoveLicenses] = string.Join(',', remove);
                parameters[LicensesShown] = $"{Names(before.AssignedSkuIds.Select(Name))} → {Names(after.Select(Name))}";
            }
        }

        var groupRemovals = new List<TenantGroup>();
        var groupAdds = new List<TenantGroup>();
        var wantsGroups = Submitted(data, KeepGroupsInput) is not null || !string.IsNullOrWhiteSpace(Submitted(data, AddGroupsInput)) || !string.IsNullOrWhiteSpace(Submitted(data, AddGroupNamesInput));
        if (wantsGroups)
        {
            var current = await groups.ListUserGroupsAsync(tenant.TenantId, before.Id, ct);
            if (!current.Succeeded)
                return (parameters, $"The user's groups could not be read: {current.Failure!.Message}");
            var member = current.Value!.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
            if (Submitted(data, KeepGroupsInput) is { } keep && Submitted(original, KeepGroupsInput) is { } had)
                groupRemovals.AddRange(Ids(had).Except(Ids(keep), StringComparer.OrdinalIgnoreCase).Where(member.ContainsKey).Select(id => member[id]));

            foreach (var id in Ids(Submitted(data, AddGroupsInput) ?? "").Where(id => !member.ContainsKey(id)))
            {
                var group = await groups.GetAsync(tenant.TenantId, id, ct);
                if (!group.Succeeded)
                    return (parameters, $"A chosen group could not be read: {group.Failure!.Message}");
                groupAdds.Add(group.Value!);
            }

            foreach (var name in (Submitted(data, AddGroupNamesInput) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var found = await groups.SearchAsync(tenant.TenantId, name, 25, ct);
                if (!found.Succeeded)
                    return (parameters, $"Groups could not be searched: {found.Failure!.Message}");
                var exact = found.Value!.Where(g => string.Equals(g.DisplayName, name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (exact.Count == 0)
                    return (parameters, $"No group is named “{name}”.");
                if (exact.Count > 1)
                    return (parameters, $"{exact.Count} groups are named “{name}”; pick the one you mean from the list.");
                if (!member.ContainsKey(exact[0].Id))
                    groupAdds.Add(exact[0]);
            }

            groupAdds = [.. groupAdds.DistinctBy(g => g.Id, StringComparer.OrdinalIgnoreCase)];
            if (groupAdds.Concat(groupRemovals).FirstOrDefault(g => g.WhyMembershipIsReadOnly is not null) is { } readOnly)
                return (parameters, readOnly.WhyMembershipIsReadOnly);
            if (groupAdds.Count > 0 || groupRemovals.Count > 0)
            {
                parameters[AddGroups] = string.Join(',', groupAdds.Select(g => g.Id));
                parameters[RemoveGroups] = string.Join(',', groupRemovals.Select(g => g.Id));
                parameters[GroupsShown] = string.Join("; ", groupAdds.Select(g => $"+ {g.DisplayName}").Concat(groupRemovals.Select(g => $"− {g.DisplayName}")));
            }
        }

        if (Submitted(data, CopyFromInput)?.Trim() is { Length: > 0 } from)
        {
            var found = await users.ResolveAsync(tenant.TenantId, from, ct);
            if (!found.Succeeded)
                return (parameters, $"“{from}” could not be looked up: {found.Failure!.Message}");
            if (found.Value!.Count != 1)
                return (parameters, found.Value.Count == 0 ? $"No user matches “{from}”." : $"{found.Value.Count} users match “{from}”; give the UPN.");
            var source = found.Value[0];
            if (string.Equals(source.Id, before.Id, StringComparison.OrdinalIgnoreCase))
                return (parameters, "Copy groups from another user, not from the same one.");
            parameters[CopyGroupsFrom] = source.Id;
            parameters[CopyShown] = $"{source.DisplayName} ({source.UserPrincipalName})";
        }

        return (parameters, null);
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.OrdinalIgnoreCase).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static string Kind(GroupKind kind) => kind switch
    {
        GroupKind.Microsoft365 => "Microsoft 365",
        GroupKind.Security => "security",
        GroupKind.MailEnabledSecurity => "mail-enabled security",
        GroupKind.Distribution => "distribution list",
        _ => kind.ToString(),
    };

    private static string? Submitted(JsonElement data, string name)
        => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => "",
            _ => null,
        } : null;

    /// Comma-separated ids; anything that is not a GUID is dropped (card data is untrusted).
    private static List<string> Ids(string text)
        => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => Guid.TryParse(s, out _)).Distinct(StringComparer.OrdinalIgnoreCase)];
}
