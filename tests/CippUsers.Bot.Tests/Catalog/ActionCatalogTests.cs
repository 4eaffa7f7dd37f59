using CippUsers.Bot.Catalog;

namespace CippUsers.Bot.Tests.Catalog;

public sealed class ActionCatalogTests
{
    private sealed class FakeRunner(string actionId) : IActionRunner
    {
        public string ActionId => actionId;

        public Task<TargetOutcome> RunAsync(ActionRun run, ActionTarget target, CancellationToken ct) => Task.FromResult(TargetOutcome.Success("ok"));
    }

    [Fact]
    public void All_CoversEverySeedAction()
    {
        string[] seedTitles =
        [
            "View User", "Edit User", "Delete User", "Edit Properties", "Research Compromised Account", "Create Temporary Access Password",
            "Re-require MFA registration", "Send MFA Push", "Set Per-User MFA", "Set Sign In State", "Revoke all user sessions",
            "Reset Password", "Set Password Expiration", "Convert Mailbox", "Enable Online Archive", "Set Out of Office",
            "Disable Out of Office", "Disable Email Forwarding", "Pre-provision OneDrive", "Add OneDrive Shortcut", "Manage Licenses",
            "Add to Group", "Clear Immutable ID", "Set Source of Authority", "Reprocess License Assignments", "More info",
        ];

        Assert.Equal(seedTitles.Order(), UserActions.All.Select(a => a.Title).Order());
    }

    [Fact]
    public void All_BulkFlagsMatchSeed()
    {
        string[] singleOnly = ["view-user", "edit-user", "research-compromise", "more-info"];
        foreach (var action in UserActions.All)
        {
            Assert.Equal(!singleOnly.Contains(action.Id), action.AllowsBulk);
        }
    }

    [Fact]
    public void All_IdsAndCommandNamesAreUnique()
    {
        Assert.Equal(UserActions.All.Count, UserActions.All.Select(a => a.Id).Distinct().Count());
        var words = UserActions.All.SelectMany(a => a.Commands).SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        Assert.Equal(words.Count, words.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void All_EveryActionHasACommandAndPresetsNameRealInputs()
    {
        foreach (var action in UserActions.All)
        {
            Assert.NotEmpty(action.Commands);
            foreach (var preset in action.Commands.SelectMany(c => c.Preset))
            {
                var input = action.FindInput(preset.Key);
                Assert.NotNull(input);
                if (input.Choices is { } choices)
                {
                    Assert.Contains(choices, c => c.Value == preset.Value);
                }
            }
        }
    }

    [Fact]
    public void DeleteUser_IsApprovalGated()
        => Assert.Equal(PolicyClass.ApprovalGated, UserActions.All.Single(a => a.Id == "delete-user").Policy);

    [Fact]
    public void IsAvailable_OnlyForActionsWithARunner()
    {
        var catalog = new ActionCatalog([new FakeRunner(UserActions.SetSignInStateId)]);

        Assert.True(catalog.IsAvailable(UserActions.SetSignInStateId));
        Assert.False(catalog.IsAvailable("reset-password"));
        Assert.Null(catalog.RunnerFor("reset-password"));
        Assert.NotNull(catalog.Find("RESET-PASSWORD"));
    }

    [Fact]
    public void Constructor_RunnerForUnknownAction_Throws()
        => Assert.Throws<InvalidOperationException>(() => new ActionCatalog([new FakeRunner("no-such-action")]));

    [Fact]
    public void Constructor_TwoRunnersForOneAction_Throws()
        => Assert.Throws<InvalidOperationException>(() => new ActionCatalog([new FakeRunner("view-user"), new FakeRunner("view-user")]));
}
