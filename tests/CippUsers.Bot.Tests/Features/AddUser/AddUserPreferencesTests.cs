using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// `preferences [tenant]`: anyone with a role views, only an admin saves (audited), and the saved preferences change the
/// Add User card and the created user.
public sealed class AddUserPreferencesTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private EmulatedTenantInfo Tenant => fixture.Emulator.Tenants[1];

    [Fact]
    public async Task Helpdesk_SeesThePreferences_ButCannotSave()
    {
        var card = Assert.Single(await fixture.Bot.SendAsync($"preferences {Tenant.DefaultDomain}", TestUsers.Tech));
        Assert.Contains("Only an admin can change these.", card.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain(AddUserSettingsCards.SavePreferencesVerb, CardJson.Verbs(card.Card));
        var store = fixture.Bot.Services.GetRequiredService<PreferenceStore>();
        // Another test in this class may have saved this tenant's preferences first: compare, don't expect none.
        var before = (await store.GetAsync(AddUserPreferences.Scope, Tenant.TenantId, Ct))?.ToJsonString();

        var forged = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SavePreferencesVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.UsageLocationInput] = "NL",
        }, TestUsers.Tech);

        Assert.Equal(403, forged.StatusCode);
        Assert.Equal(before, (await store.GetAsync(AddUserPreferences.Scope, Tenant.TenantId, Ct))?.ToJsonString());
    }

    [Fact]
    public async Task Admin_InvalidValues_AreShownByField_AndNothingIsSaved()
    {
        var answer = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SavePreferencesVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.AttributesInput] = "employeeId,shoeSize",
            [AddUserSettingsCards.UsageLocationInput] = "Ireland",
            [AddUserSettingsCards.DomainInput] = "not-verified.example",
            [AddUserSettingsCards.LengthInput] = "7",
        }, TestUsers.SecondTech);

        var text = answer.CardText;
        Assert.Contains("“shoeSize” is not one of the added attributes.", text, StringComparison.Ordinal);
        Assert.Contains("two-letter country code", text, StringComparison.Ordinal);
        Assert.Contains("not-verified.example is not a verified domain", text, StringComparison.Ordinal);
        Assert.Contains("whole number from 8 to 256", text, StringComparison.Ordinal);
        Assert.Null(await fixture.Bot.Services.GetRequiredService<PreferenceStore>().GetAsync(AddUserPreferences.Scope, Tenant.TenantId + "-none", Ct));
    }

    [Fact]
    public async Task Admin_Saves_Audited_AndTheAddUserCardAndTheCreatedUserFollow()
    {
        var domain = fixture.Emulator.State.Tenant(Tenant.TenantId).Info.InitialDomain;
        var saved = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SavePreferencesVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.AttributesInput] = "employeeId,officeLocation",
            [AddUserSettingsCards.UsageLocationInput] = "ie",
            [AddUserSettingsCards.DomainInput] = domain,
            [AddUserSettingsCards.StyleInput] = "passphrase",
            [AddUserSettingsCards.LengthInput] = 20,
        }, TestUsers.SecondTech);
        Assert.Contains("Saved.", saved.CardText, StringComparison.Ordinal);

        var entry = (await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(Tenant.TenantId, null, 10, Ct))
            .First(e => e.Action == AddUserPreferencesFeature.AuditAction);
        Assert.Equal(TestUsers.SecondTech.AadObjectId, entry.ActorAadObjectId);
        Assert.Contains("usage location: IE", entry.Detail, StringComparison.Ordinal);

        // The Add User card: the chosen attributes as fields, the defaults filled in.
        var form = Assert.Single(await fixture.Bot.SendAsync($"add user {Tenant.DefaultDomain}"), c => c.Cards.Count == 1);
        Assert.NotNull(Input(form.Card, AddUserForm.AttributePrefix + "employeeId"));
        Assert.NotNull(Input(form.Card, AddUserForm.AttributePrefix + "officeLocation"));
        Assert.Null(Input(form.Card, AddUserForm.AttributePrefix + "faxNumber"));
        Assert.Equal("IE", Value(form.Card, AddUserForm.UsageLocation));
        Assert.Equal(domain, Value(form.Card, AddUserForm.Domain));

        // The created user gets the attributes; the generated password is a passphrase.
        var username = NewUsername("pref");
        var id = await SubmitAsync(fixture.Bot, Form(Tenant, username, (AddUserForm.Domain, domain), (AddUserForm.UsageLocation, "IE"),
            (AddUserForm.AttributePrefix + "employeeId", "E-4711"), (AddUserForm.AttributePrefix + "officeLocation", "Dublin 2")));
        await ConfirmAsync(fixture.Bot, id);
        var op = await FinishedAsync(fixture.Bot.Services, id);
        Assert.Equal(OperationState.Succeeded, op.State);
        var user = fixture.Emulator.State.Tenant(Tenant.TenantId).FindUser($"{username}@{domain}");
        Assert.NotNull(user);
        Assert.Equal("E-4711", user["employeeId"]!.GetValue<string>());
        Assert.Equal("Dublin 2", user["officeLocation"]!.GetValue<string>());
        var secret = fixture.Bot.Connector.Calls.Single(c => c.CardText.Contains($"Password for {username}", StringComparison.OrdinalIgnoreCase));
        var password = secret.Card["body"]!.AsArray()[1]!["text"]!.GetValue<string>();
        Assert.Matches("^[A-Z][a-z]+[0-9]*(-[A-Z][a-z]+[0-9]*){4}$", password);
    }
}
