using CippUsers.Bot.Access;
using CippUsers.Bot.Catalog;
using CippUsers.Bot.Features.Audit;
using CippUsers.Bot.Operations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;

namespace CippUsers.Bot.Tests.Operations;

public sealed class OperationCardsTests
{
    private static readonly ActionDescriptor SignIn = UserActions.All.Single(a => a.Id == UserActions.SetSignInStateId);

    [Fact]
    public void Confirmation_CarriesOnlyTheOperationId()
    {
        var op = SafetyCardSamples.Operation(OperationState.AwaitingConfirmation, 5);
        var card = OperationCards.Confirmation(SignIn, op, new ActionRequirement(PolicyClass.Destructive, Role.Helpdesk, true, false, null), new HashSet<string> { "enabled" }).ToJson();

        foreach (var action in card["actions"]!.AsArray())
        {
            Assert.Equal(["operationId"], action!["data"]!.AsObject().Select(p => p.Key));
        }

        var text = CardJson.AllText(card);
        Assert.Contains("5 users: User 1, User 2, User 3 and 2 more", text);
        Assert.Contains("Disabled", text);
        Assert.Contains("Immediate effect", text);
    }

    [Fact]
    public void Confirmation_InputNotPreset_IsRenderedAsAField()
    {
        var op = SafetyCardSamples.Operation(OperationState.AwaitingConfirmation) with { Parameters = [] };
        var card = OperationCards.Confirmation(SignIn, op, new ActionRequirement(PolicyClass.Destructive, Role.Helpdesk, true, false, null), new HashSet<string>()).ToJson();
        Assert.Contains(card["body"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "Input.ChoiceSet" && e["id"]!.GetValue<string>() == "enabled");
    }

    [Fact]
    public void Status_Mixed_ShowsEachTargetAndWhoDecided()
    {
        var op = SafetyCardSamples.Operation(OperationState.PartlySucceeded, 2,
            new TargetResult("id-1", "User 1", true, "Sign-in disabled."), new TargetResult("id-2", "User 2", false, "Not found."));
        var text = CardJson.AllText(OperationCards.Status(SignIn, op).ToJson());
        Assert.Contains("1 of 2 succeeded", text);
        Assert.Contains("✓ User 1", text);
        Assert.Contains("✗ User 2", text);
        Assert.Contains("Blair Chen", text);
        Assert.Empty(CardJson.Verbs(OperationCards.Status(SignIn, op).ToJson()));
    }

    [Fact]
    public void AuditCsv_EscapesAndNeutralisesFormulas()
    {
        var csv = AuditCsv.Write([new AuditEntry(1, DateTimeOffset.UnixEpoch, "u", "Doe, \"Jane\"", "t", "a", null, "=cmd()", "ok", null, null, "c", null)]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"Doe, \"\"Jane\"\"\"", lines[1]);
        Assert.Contains(",'=cmd(),", lines[1]);
    }
}
