using System.Globalization;
using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Catalog;
using CippUsers.Graph;
using CippUsers.Graph.Exchange;

namespace CippUsers.Bot.Features.Users;

/// One action of the user card's menu: enabled, or greyed out with the reason.
internal sealed record MenuAction(ActionDescriptor Action, string? DisabledReason);

internal static class UsersCards
{
    public const string SelectedInput = "selected";
    public const string BulkActionInput = "bulkAction";
    public const string ColumnsInput = "columns";
    public const string FilterInput = "filter";
    public const string SearchInput = "search";

    public static AdaptiveCard List(CustomerTenant tenant, UserListSession session, int pageIndex, UserPage page,
        IReadOnlyDictionary<Guid, string> skuNames, IReadOnlyList<MenuAction> bulkActions, int pageSize)
    {
        var total = page.TotalCount is { } count ? count.ToString("N0", CultureInfo.InvariantCulture) : "?";
        var first = (pageIndex * pageSize) + 1;
        var last = (pageIndex * pageSize) + page.Users.Count;
        var card = new AdaptiveCard { FallbackText = $"Users of {tenant.DisplayName}" }
            .Add(new TextBlock($"Users of {tenant.DisplayName} ({total})") { Size = TextSize.Large, Weight = TextWeight.Bolder })
            .Add(new TextBlock(Subtitle(session, page.Users.Count == 0 ? "none" : $"{first:N0}–{last:N0} of {total}")) { IsSubtle = true, Size = TextSize.Small });

        if (page.Users.Count == 0)
        {
            card.Add(new TextBlock("No user matches.") { Color = TextColor.Warning });
        }
        else
        {
            var columns = session.Columns.Select(UserColumns.Of).ToList();
            card.Add(new ColumnSet(columns.Select(c => new Column([new TextBlock(c.Title) { Weight = TextWeight.Bolder }]) { Width = "1" })));
            foreach (var user in page.Users)
            {
                card.Add(new Container([new ColumnSet(columns.Select(c => new Column([new TextBlock(c.Value(user, skuNames)) { MaxLines = 2 }]) { Width = "1" }))])
                {
                    Separator = true,
                    Spacing = Spacing.Small,
                    SelectAction = new ExecuteAction($"Open {user.DisplayName}", UsersVerbs.Open, OpenData(tenant.TenantId, user.Id)),
                });
            }
        }

        var navigation = new List<CardAction>();
        if (pageIndex > 0)
        {
            navigation.Add(new ExecuteAction("◀ Previous", UsersVerbs.Page, PageData(session, pageIndex - 1)) { SendInputs = false });
        }

        if (page.NextLink is not null)
        {
            navigation.Add(new ExecuteAction("Next ▶", UsersVerbs.Page, PageData(session, pageIndex + 1)) { SendInputs = false });
        }

        navigation.Add(new ShowCardAction("Columns and filters", ViewOptions(session)));
        navigation.Add(new ExecuteAction("Add user", CardVerbs.AddUserOpen, new JsonObject { ["tenantId"] = tenant.TenantId }) { SendInputs = false });
        if (page.Users.Count > 0)
        {
            navigation.Add(new ShowCardAction("Select users…", Selection(tenant, session, page, bulkActions)));
        }

        if (page.Users.Count > 0 && bulkActions.Any(a => a.Action.Id == EditPropertiesRunner.Id && a.DisabledReason is null))
        {
            navigation.Add(new ExecuteAction("Edit properties of all…", PatchWizard.OpenVerb, new JsonObject { ["s"] = session.Id }) { SendInputs = false });
        }

        card.Add(new ActionSet(navigation));
        return card;
    }

    private static string Subtitle(UserListSession session, string range)
    {
        var parts = new List<string> { range };
        if (session.Search is not null)
        {
            parts.Add($"search “{session.Search}”");
        }

        parts.Add(session.Filter.Describe());
        return string.Join(" · ", parts);
    }

    private static AdaptiveCard ViewOptions(UserListSession session)
        => new AdaptiveCard()
            .Add(new TextInput(SearchInput) { Label = "Search (name, UPN or mail)", Value = session.Search ?? "", MaxLength = 100 })
            .Add(new ChoiceSetInput(FilterInput, UserFilter.Choices.Select(c => new Choice(c.Title, c.Value)))
            {
                Label = "Filters",
                IsMultiSelect = true,
                Style = ChoiceSetStyle.Expanded,
                Value = session.Filter.ToValue(),
            })
            .Add(new ChoiceSetInput(ColumnsInput, UserColumns.All.Select(c => new Choice(c.Title, c.Property)))
            {
                Label = $"Columns (up to {UserColumns.MaxShown})",
                IsMultiSelect = true,
                Value = string.Join(',', session.Columns),
            })
            .AddAction(new ExecuteAction("Apply", UsersVerbs.Apply, new JsonObject { ["s"] = session.Id }) { Style = ActionStyle.Positive });

    private static AdaptiveCard Selection(CustomerTenant tenant, UserListSession session, UserPage page, IReadOnlyList<MenuAction> bulkActions)
    {
        var card = new AdaptiveCard()
            .Add(new ChoiceSetInput(SelectedInput, page.Users.Select(u => new Choice($"{u.DisplayName} ({u.UserPrincipalName})", u.Id)))
            {
                Label = "Users",
                IsMultiSelect = true,
                Style = ChoiceSetStyle.Expanded,
                IsRequired = true,
                ErrorMessage = "Select at least one user.",
            });
        var allowed = bulkActions.Where(a => a.DisabledReason is null).ToList();
        if (allowed.Count == 0)
        {
            return card.Add(new TextBlock("No bulk action is available to you in this tenant.") { Color = TextColor.Warning });
        }

        card.Add(new ChoiceSetInput(BulkActionInput, allowed.Select(a => new Choice(a.Action.Title, a.Action.Id)))
        {
            Label = "Action",
            IsRequired = true,
            ErrorMessage = "Choose an action.",
            Placeholder = "Choose an action",
        });
        var greyed = bulkActions.Where(a => a.DisabledReason is not null).ToList();
        if (greyed.Count > 0)
        {
            card.Add(new TextBlock("Not available to you: " + string.Join("; ", greyed.Select(a => $"{a.Action.Title} ({a.DisabledReason})")))
            { IsSubtle = true, Size = TextSize.Small });
        }

        return card.AddAction(new ExecuteAction("Continue", UsersVerbs.Bulk, new JsonObject { ["s"] = session.Id, ["t"] = tenant.TenantId }));
    }

    public static AdaptiveCard User(CustomerTenant tenant, UserDetails details, IReadOnlyList<MenuAction> menu)
    {
        var u = details.User;
        var card = new AdaptiveCard { FallbackText = $"{u.DisplayName} ({u.UserPrincipalName})" }
            .Add(new TextBlock(u.DisplayName) { Size = TextSize.Large, Weight = TextWeight.Bolder })
            .Add(new TextBlock($"{u.UserPrincipalName} · {tenant.DisplayName}") { IsSubtle = true })
            .Add(new FactSet(Profile(details)));

        if (details.Groups is { } groups)
        {
            card.Add(new TextBlock($"Groups ({groups.Count})") { Weight = TextWeight.Bolder });
            card.Add(new TextBlock(groups.Count == 0 ? "No group memberships." : string.Join(", ", groups.Take(30).Select(g => g.DisplayName)) + (groups.Count > 30 ? $" and {groups.Count - 30} more" : ""))
            { Size = TextSize.Small });
        }

        foreach (var missing in details.Unavailable)
        {
            card.Add(new TextBlock($"Could not read {missing}") { Color = TextColor.Warning, Size = TextSize.Small });
        }

        var actions = new List<CardAction>();
        foreach (var category in menu.GroupBy(m => m.Action.Category))
        {
            var sub = new AdaptiveCard();
            var buttons = category.Select(m => (CardAction)new ExecuteAction(m.Action.Title, UsersVerbs.Act, ActData(tenant.TenantId, u.Id, m.Action.Id))
            {
                IsEnabled = m.DisabledReason is null,
                Tooltip = m.DisabledReason is null ? m.Action.Description : $"Not available: {m.DisabledReason}",
                Style = m.Action.Policy is PolicyClass.Destructive or PolicyClass.ApprovalGated ? ActionStyle.Destructive : ActionStyle.Default,
            }).ToList();
            sub.Add(new ActionSet(buttons));
            var greyed = category.Where(m => m.DisabledReason is not null).ToList();
            if (greyed.Count > 0)
            {
                sub.Add(new TextBlock(string.Join("\n\n", greyed.Select(m => $"{m.Action.Title}: {m.DisabledReason}"))) { IsSubtle = true, Size = TextSize.Small });
            }

            actions.Add(new ShowCardAction(category.Key, sub));
        }

        card.Add(new ActionSet(actions));
        return card;
    }

    private static List<Fact> Profile(UserDetails details)
    {
        var u = details.User;
        var facts = new List<Fact>
        {
            new("Sign-in", u.AccountEnabled ? "Enabled" : "Blocked"),
            new("User type", u.UserType ?? "Member"),
            new("Source", u.OnPremisesSyncEnabled ? "Synced from on-premises AD" : "Cloud only"),
            new("Licenses", details.Licenses is null ? "unknown" : details.Licenses.Count == 0 ? "Unlicensed" : string.Join(", ", details.Licenses)),
            new("Manager", details.Manager is { } m ? $"{m.DisplayName} ({m.UserPrincipalName})" : "None"),
            new("Last sign-in", LastSignIn(details.SignIns)),
            new("MFA registration", MfaLine(details.Mfa)),
            // The mailbox type is Exchange Online's RecipientTypeDetails (Get-Mailbox); Graph has no property for it.
            new("Mailbox", MailboxLine(details.Mailbox)),
        };
        void Add(string title, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                facts.Add(new Fact(title, value));
            }
        }

        Add("Mail", u.Mail);
        Add("Job title", u.JobTitle);
        Add("Department", u.Department);
        Add("Company", u.CompanyName);
        Add("Office", u.OfficeLocation);
        Add("Mobile", u.MobilePhone);
        Add("Business phones", string.Join(", ", u.BusinessPhones));
        Add("Address", string.Join(", ", new[] { u.StreetAddress, u.City, u.State, u.PostalCode, u.Country }.Where(s => !string.IsNullOrWhiteSpace(s))));
        Add("Usage location", u.UsageLocation);
        Add("Preferred language", u.PreferredLanguage);
        Add("Other mails", string.Join(", ", u.OtherMails));
        Add("Created", u.CreatedDateTime?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Add("Last AD sync", u.OnPremisesLastSyncDateTime?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Add("Object id", u.Id);
        return facts;
    }

    public const string NoMailbox = "No mailbox";
    public const string NeedsExchangeRole = "needs Exchange.ManageAsApp and an Exchange admin role";

    /// The mailbox line: its type ("User mailbox", "Shared mailbox", "Room", "Equipment"), ", archive on" when it has an
    /// active archive; "No mailbox"; or why it could not be read.
    public static string MailboxLine(GraphResult<Mailbox?>? mailbox)
    {
        if (mailbox is not { } result)
        {
            return "not read";
        }

        if (!result.Succeeded)
        {
            return result.Failure!.Code == ExchangeCommands.ForbiddenCode ? NeedsExchangeRole : $"unavailable ({result.Failure.Message})";
        }

        if (result.Value is not { } m)
        {
            return NoMailbox;
        }

        var type = m.Type switch
        {
            MailboxType.User => "User mailbox",
            MailboxType.Shared => "Shared mailbox",
            MailboxType.Room => "Room",
            MailboxType.Equipment => "Equipment",
            _ => m.RecipientTypeDetails,
        };
        return m.HasArchive ? $"{type}, archive on" : type;
    }
    public const string NeedsPremium = "needs Entra ID P1";

    public static string LastSignIn(GraphResult<UserSignIns>? signIns)
    {
        if (signIns is not { } result)
        {
            return "not read";
        }

        if (!result.Succeeded)
        {
            return result.Failure!.Code == UserActivityOperations.NeedsPremiumCode ? NeedsPremium : $"unavailable ({result.Failure.Message})";
        }

        var s = result.Value!;
        if (s.Never)
        {
            return "Never signed in";
        }

        var parts = new List<string>();
        if (s.LastSignIn is { } interactive)
        {
            parts.Add($"{Time(interactive)} (interactive)");
        }

        if (s.LastNonInteractiveSignIn is { } background && background != s.LastSignIn)
        {
            parts.Add($"{Time(background)} (non-interactive)");
        }

        if (s.LastSuccessfulSignIn is { } success && success != s.LastSignIn && success != s.LastNonInteractiveSignIn)
        {
            parts.Add($"last successful {Time(success)}");
        }

        return string.Join("; ", parts);
    }

    public static string MfaLine(GraphResult<MfaRegistration>? mfa)
    {
        if (mfa is not { } result)
        {
            return "not read";
        }

        if (!result.Succeeded)
        {
            return $"unavailable ({result.Failure!.Message})";
        }

        var registration = result.Value!;
        return registration.IsMfaRegistered
            ? "Registered: " + string.Join(", ", registration.SecondFactorNames)
            : "Not registered (" + (registration.MethodTypes.Count == 0 ? "no methods" : string.Join(", ", registration.MethodTypes.Select(MfaRegistration.Name).Distinct())) + " only)";
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static AdaptiveCard Find(string text, IReadOnlyList<(CustomerTenant Tenant, GraphResult<UserPage> Result)> results, int perTenant)
    {
        var hits = results.Where(r => r.Result.Succeeded).Sum(r => r.Result.Value!.Users.Count);
        var card = new AdaptiveCard { FallbackText = $"Users matching {text}" }
            .Add(new TextBlock($"Users matching “{text}”") { Size = TextSize.Large, Weight = TextWeight.Bolder })
            .Add(new TextBlock($"{hits} shown from {results.Count} tenant(s)") { IsSubtle = true, Size = TextSize.Small });
        foreach (var (tenant, result) in results)
        {
            if (!result.Succeeded)
            {
                card.Add(new TextBlock($"{tenant.DisplayName}: could not search ({result.Failure!.Message})") { Color = TextColor.Warning, Separator = true });
                continue;
            }

            var page = result.Value!;
            if (page.Users.Count == 0)
            {
                continue;
            }

            var more = page.TotalCount is { } total && total > page.Users.Count ? $" — {total:N0} match, first {perTenant} shown" : "";
            card.Add(new TextBlock($"{tenant.DisplayName} ({tenant.DefaultDomain}){more}") { Weight = TextWeight.Bolder, Separator = true });
            foreach (var user in page.Users)
            {
                card.Add(new Container([new TextBlock($"{user.DisplayName} · {user.UserPrincipalName}{(user.AccountEnabled ? "" : " · blocked")}")])
                {
                    SelectAction = new ExecuteAction($"Open {user.DisplayName}", UsersVerbs.Open, OpenData(tenant.TenantId, user.Id)),
                    Spacing = Spacing.Small,
                });
            }
        }

        if (hits == 0)
        {
            card.Add(new TextBlock("No user matches in any tenant you may see.") { Color = TextColor.Warning });
        }

        return card;
    }

    public static JsonObject OpenData(string tenantId, string userId) => new() { ["t"] = tenantId, ["u"] = userId };

    public static JsonObject ActData(string tenantId, string userId, string actionId) => new() { ["t"] = tenantId, ["u"] = userId, ["a"] = actionId };

    public static JsonObject PageData(UserListSession session, int page) => new() { ["s"] = session.Id, ["p"] = page };
}
