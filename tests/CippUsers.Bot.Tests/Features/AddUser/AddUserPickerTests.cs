using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// Manager and "copy groups from": one choice list in a small tenant, a search with Find in a large one; the chosen
/// object id is checked in the tenant when the form is submitted.
public sealed class AddUserPickerTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private EmulatedTenantInfo Small => fixture.Emulator.Tenants[0];

    private EmulatedTenantInfo Large => fixture.Emulator.Tenants[1];

    [Fact]
    public async Task SmallTenant_ManagerAndCopyFrom_AreChoicesOfEveryUser()
    {
        Assert.True(Small.UserCount <= AddUserFeature.FullListLimit);

        var form = Assert.Single(await fixture.Bot.SendAsync($"add user {Small.DefaultDomain}"), c => c.Cards.Count == 1);

        var everyone = fixture.Emulator.State.Tenant(Small.TenantId).Users().Select(u => u["id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(everyone, ChoiceValues(form.Card, AddUserForm.Manager).Order().ToList());
        Assert.Equal(everyone, ChoiceValues(form.Card, AddUserForm.CopyGroupsFrom).Order().ToList());
        Assert.Null(Input(form.Card, AddUserForm.ManagerSearch));
    }

    [Fact]
    public async Task LargeTenant_Find_ReturnsTheSameCardWithMatches_KeepingTypedValues()
    {
        Assert.True(Large.UserCount > AddUserFeature.FullListLimit);
        var form = Assert.Single(await fixture.Bot.SendAsync($"add user {Large.DefaultDomain}"), c => c.Cards.Count == 1);
        Assert.NotNull(Input(form.Card, AddUserForm.ManagerSearch));
        Assert.Empty(ChoiceValues(form.Card, AddUserForm.Manager));
        var find = Button(form.Card, AddUserCards.FindVerb, b => b["data"]?["find"]?.GetValue<string>() == AddUserForm.Manager);

        var target = fixture.Emulator.State.Tenant(Large.TenantId).Users()[7];
        var name = target["displayName"]!.GetValue<string>();
        var data = Form(Large, "keepme", (AddUserForm.City, "Leeds"), (AddUserForm.JobTitle, "Driver"), (AddUserForm.ManagerSearch, name), (AddUserForm.Password, "Typed-Secret-123"));
        foreach (var (k, v) in find["data"]!.AsObject())
            data[k] = v!.DeepClone();
        var refreshed = await fixture.Bot.InvokeAsync(AddUserCards.FindVerb, data, TestUsers.Tech, TestConversation.HelpdeskChannel, form.ActivityId);

        var matches = ChoiceValues(refreshed.Card, AddUserForm.Manager);
        Assert.Contains(target["id"]!.GetValue<string>(), matches);
        Assert.InRange(matches.Count, 1, AddUserFeature.SearchLimit);
        Assert.Equal("Leeds", Value(refreshed.Card, AddUserForm.City));
        Assert.Equal("Driver", Value(refreshed.Card, AddUserForm.JobTitle));
        Assert.Equal("keepme", Value(refreshed.Card, AddUserForm.Username));
        Assert.Equal(name, Value(refreshed.Card, AddUserForm.ManagerSearch));
        Assert.DoesNotContain("Typed-Secret-123", refreshed.Card.ToJsonString(), StringComparison.Ordinal);
        // The other picker was not searched: still a search box without a list.
        Assert.Empty(ChoiceValues(refreshed.Card, AddUserForm.CopyGroupsFrom));

    }

    [Fact]
    public async Task ChosenUser_StaysOnTheCard_WhenTheSearchChanges()
    {
        var target = fixture.Emulator.State.Tenant(Large.TenantId).Users()[3];
        var data = Form(Large, "keepme", (AddUserForm.Manager, target["id"]!.GetValue<string>()), (AddUserForm.ManagerSearch, "zzzz-nobody"), ("find", AddUserForm.Manager));

        var refreshed = await fixture.Bot.InvokeAsync(AddUserCards.FindVerb, data, TestUsers.Tech);

        Assert.Equal([target["id"]!.GetValue<string>()], ChoiceValues(refreshed.Card, AddUserForm.Manager));
        Assert.Equal(target["id"]!.GetValue<string>(), Value(refreshed.Card, AddUserForm.Manager));
    }

    [Fact]
    public async Task Submit_ManagerFromAnotherTenant_IsRefusedOnTheField()
    {
        var foreign = fixture.Emulator.State.Tenant(Large.TenantId).Users()[0]["id"]!.GetValue<string>();

        var card = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Small, NewUsername(), (AddUserForm.Manager, foreign), (AddUserForm.CopyGroupsFrom, Guid.NewGuid().ToString())), TestUsers.Tech);

        Assert.Contains($"Manager: that user is not in {Small.DisplayName}.", card.CardText, StringComparison.Ordinal);
        Assert.Contains($"Copy groups from: that user is not in {Small.DisplayName}.", card.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain(AddUserCards.ConfirmVerb, CardJson.Verbs(card.Card));
    }

    [Fact]
    public async Task Submit_ManagerByUpn_IsStoredAsItsObjectId_AndShownByName()
    {
        var manager = fixture.Emulator.State.Tenant(Small.TenantId).Users()[1];

        var card = await fixture.Bot.InvokeAsync(AddUserCards.SubmitVerb, Form(Small, NewUsername(), (AddUserForm.Manager, manager["userPrincipalName"]!.GetValue<string>())), TestUsers.Tech);

        Assert.Contains(manager["displayName"]!.GetValue<string>(), card.CardText, StringComparison.Ordinal);
        var id = Guid.Parse(Button(card.Card, AddUserCards.ConfirmVerb)["data"]!["operationId"]!.GetValue<string>());
        var op = await fixture.Bot.Services.OperationAsync(id);
        Assert.Equal(manager["id"]!.GetValue<string>(), op.Parameters[AddUserForm.Manager]!.GetValue<string>());
    }
}

internal static class PendingOperationLookup
{
    public static async Task<CippUsers.Bot.Storage.PendingOperation> OperationAsync(this IServiceProvider services, Guid id) =>
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CippUsers.Bot.Storage.PendingOperationStore>(services).GetAsync(id, Ct)
        ?? throw new InvalidOperationException("No operation " + id);
}
