using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Features.Help;
using CippUsers.Bot.Features.Tenants;
using CippUsers.Bot.Features.Welcome;
using CippUsers.Bot.Teams;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Cards;

/// <summary>One sample per card factory of the foundation, plus a card that uses every builder element.</summary>
public sealed class FoundationCardSamples : ICardSampleSource
{
    public IEnumerable<CardSample> Samples()
    {
        var routes = new BotRoutes();
        routes.Command("help", "Show every command with an example.", "help", (_, _, _) => Task.CompletedTask, "?");
        routes.Command("tenants", "List the customer tenants I manage.", "tenants", (_, _, _) => Task.CompletedTask);

        yield return new("Help/Help", HelpCards.Help(routes.Commands));
        yield return new("Help/DidYouMean", HelpCards.DidYouMean("tenats", routes.Commands));
        yield return new("Help/DidYouMeanNoSuggestions", HelpCards.DidYouMean(new string('x', 200), []));
        yield return new("Tenants/List", TenantsCards.List([new("0b1e9f5a-6c2d-4e3f-8a7b-9c0d1e2f3a41", "Contoso \"Ltd\"", "contoso.onmicrosoft.com")]));
        yield return new("Tenants/Empty", TenantsCards.List([]));
        foreach (var kind in Enum.GetValues<ConversationKind>())
        {
            yield return new($"Welcome/{kind}", WelcomeCards.Welcome(kind));
        }

        yield return new("Builder/EveryElement", EveryElement());
    }

    internal static AdaptiveCard EveryElement()
    {
        var inner = new AdaptiveCard().Add(new TextInput("reason") { Label = "Reason", IsRequired = true, ErrorMessage = "Give a reason" });
        return new AdaptiveCard
        {
            FallbackText = "Everything",
            Refresh = new ExecuteAction("Refresh", "test.refresh", new JsonObject { ["operationId"] = "op-1" }),
            RefreshUserIds = ["29:alex-tech"],
        }
            .Add(new TextBlock("Title") { Size = TextSize.ExtraLarge, Weight = TextWeight.Bolder, Color = TextColor.Attention, IsSubtle = true, MaxLines = 2, Alignment = HorizontalAlignment.Center })
            .Add(new RichTextBlock(new TextRun("bold") { Weight = TextWeight.Bolder }, new TextRun(" and italic") { Italic = true, Color = TextColor.Good }))
            .Add(new FactSet([new Fact("UPN", "bob@contoso.com")]))
            .Add(new Container([new TextBlock("inside")]) { Style = ContainerStyle.Warning, Bleed = true, Id = "details", IsVisible = false, Separator = true, Spacing = Spacing.Large, SelectAction = new ToggleVisibilityAction("More", "details") })
            .Add(new ColumnSet([new Column([new TextBlock("a")]) { Width = "auto" }, new Column([new TextBlock("b")]) { Width = "50px", Style = ContainerStyle.Emphasis }]))
            .Add(new Image(new Uri("https://example.invalid/logo.png")) { AltText = "logo", Size = ImageSize.Small })
            .Add(new TextInput("upn") { Label = "UPN", Placeholder = "user@domain", Value = "bob", Regex = "^[^@]+@[^@]+$", MaxLength = 100, IsMultiline = false, IsRequired = true, ErrorMessage = "A UPN" })
            .Add(new TextInput("notes") { IsMultiline = true })
            .Add(new ChoiceSetInput("license", [new Choice("E3", "sku-e3"), new Choice("E5", "sku-e5")]) { Label = "License", IsMultiSelect = true, Style = ChoiceSetStyle.Compact, Value = "sku-e3,sku-e5", Placeholder = "Pick" })
            .Add(new ChoiceSetInput("usage", [new Choice("NL", "NL")]) { Style = ChoiceSetStyle.Expanded })
            .Add(new ToggleInput("mustChange", "Must change password") { Value = true })
            .Add(new DateInput("when") { Value = new DateOnly(2026, 12, 1), Min = new DateOnly(2026, 11, 27), Max = new DateOnly(2027, 1, 1) })
            .Add(new TimeInput("at") { Value = new TimeOnly(9, 30) })
            .Add(new NumberInput("count") { Value = 2, Min = 1, Max = 10, Placeholder = "n" })
            .Add(new ActionSet([new ExecuteAction("Inline", "test.inline") { Tooltip = "tip" }]))
            .AddAction(new ExecuteAction("Confirm", "test.confirm", new JsonObject { ["operationId"] = "op-1" }) { Style = ActionStyle.Positive, Id = "confirm" })
            .AddAction(new ExecuteAction("Cancel", "test.cancel") { Style = ActionStyle.Destructive, SendInputs = false, IsEnabled = false })
            .AddAction(new ShowCardAction("Reason", inner))
            .AddAction(new OpenUrlAction("Open", new Uri("https://admin.microsoft.com/")))
            .AddAction(new ToggleVisibilityAction("Details", "details"));
    }
}
