using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Graph;

namespace CippUsers.Bot.Features.Tenants;

internal static class TenantsCards
{
    public static AdaptiveCard List(IReadOnlyList<CustomerTenant> tenants)
    {
        var card = new AdaptiveCard { FallbackText = "Customer tenants" }
            .Add(new TextBlock($"Customer tenants ({tenants.Count})") { Size = TextSize.Large, Weight = TextWeight.Bolder });
        if (tenants.Count == 0)
        {
            return card.Add(new TextBlock("No customer tenants are configured. Add them under Graph:Tenants.") { Color = TextColor.Warning });
        }

        card.Add(new ColumnSet(
        [
            new Column([new TextBlock("Name") { Weight = TextWeight.Bolder }]) { Width = "2" },
            new Column([new TextBlock("Default domain") { Weight = TextWeight.Bolder }]) { Width = "2" },
            new Column([new TextBlock("Tenant id") { Weight = TextWeight.Bolder }]) { Width = "3" },
            new Column([new TextBlock(" ")]) { Width = "2" },
        ]));
        foreach (var tenant in tenants.OrderBy(t => t.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            card.Add(new ColumnSet(
            [
                new Column([new TextBlock(tenant.DisplayName)]) { Width = "2" },
                new Column([new TextBlock(tenant.DefaultDomain)]) { Width = "2" },
                new Column([new TextBlock(tenant.TenantId) { IsSubtle = true, Size = TextSize.Small }]) { Width = "3" },
                new Column([new ActionSet([AddUserButton(tenant)])]) { Width = "2" },
            ])
            { Separator = true, Spacing = Spacing.Small });
        }

        return card;
    }

    private static ExecuteAction AddUserButton(CustomerTenant tenant) =>
        new("Add user", CardVerbs.AddUserOpen, new JsonObject { ["tenantId"] = tenant.TenantId }) { SendInputs = false };
}
