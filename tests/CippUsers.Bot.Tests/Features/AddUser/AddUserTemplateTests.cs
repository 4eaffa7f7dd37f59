using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.TenantEmulator;
using Microsoft.Extensions.DependencyInjection;
using static CippUsers.Bot.Tests.Features.AddUser.AddUserTestKit;

namespace CippUsers.Bot.Tests.Features.AddUser;

public class AddUserTemplateUnitTests
{
    [Theory]
    [InlineData(AddUserTemplate.FirstDotLast, "jan.devries")]
    [InlineData(AddUserTemplate.FLast, "jdevries")]
    [InlineData(AddUserTemplate.FirstL, "jand")]
    [InlineData(AddUserTemplate.First, "jan")]
    public void Username_FollowsTheFormat(string format, string expected)
    {
        var template = new AddUserTemplate("t", [], [], null, null, format);

        Assert.Equal(expected, template.Username("Jan", "de Vries"));
    }

    [Fact]
    public void Username_DropsAccentsAndPunctuation()
    {
        Assert.Equal("zoe.oneil", new AddUserTemplate("t", [], [], null, null, AddUserTemplate.FirstDotLast).Username("Zoë", "O'Neil"));
        Assert.Null(new AddUserTemplate("t", [], [], null, null, AddUserTemplate.FLast).Username("Zoë", null));
    }

    [Fact]
    public void ApplyTo_FillsTheTemplateFields_KeepsTheRest_AndNeverOverwritesATypedUsername()
    {
        var sku = Guid.NewGuid();
        var template = new AddUserTemplate("Nurses", [sku], [new("g1", "Clinic")], "Clinic", "GB", AddUserTemplate.FLast);
        var form = new AddUserForm(new Dictionary<string, string> { [AddUserForm.GivenName] = "Jane", [AddUserForm.Surname] = "Doe", [AddUserForm.City] = "Leeds", [AddUserForm.Department] = "Old" });

        var applied = template.ApplyTo(form);

        Assert.Equal(("jdoe", "Clinic", "GB", "Leeds"), (applied[AddUserForm.Username], applied[AddUserForm.Department], applied[AddUserForm.UsageLocation], applied[AddUserForm.City]));
        Assert.Equal([sku], applied.LicenseList);
        Assert.Equal(["g1"], applied.GroupList);
        Assert.Equal("typed", template.ApplyTo(form.With((AddUserForm.Username, "typed")))[AddUserForm.Username]);
    }
}

/// `templates [tenant]` over HTTP: admins add, edit and delete (audited); the Add User card applies a template and the
/// created user gets its licenses, groups and department.
public sealed class AddUserTemplateTests(AddUserBotFixture fixture) : IClassFixture<AddUserBotFixture>
{
    private EmulatedTenantInfo Tenant => fixture.Emulator.Tenants[0];

    [Fact]
    public async Task Templates_AdminCreatesEditsDeletes_HelpdeskOnlyViews_AndTheCardAppliesOne()
    {
        var state = fixture.Emulator.State.Tenant(Tenant.TenantId);
        var group = state.Groups().First(g => g["securityEnabled"]?.GetValue<bool>() == true && g["mailEnabled"]?.GetValue<bool>() != true
            && !(g["groupTypes"]?.AsArray().Any(t => t!.GetValue<string>() == "DynamicMembership") ?? false) && g["onPremisesSyncEnabled"]?.GetValue<bool?>() != true);
        var groupId = group["id"]!.GetValue<string>();
        var sku = state.SubscribedSkus().First(s => s["prepaidUnits"]!["enabled"]!.GetValue<int>() - s["consumedUnits"]!.GetValue<int>() > 10)["skuId"]!.GetValue<string>();

        // Admin: list → New → editor offers the group → Save.
        var list = Assert.Single(await fixture.Bot.SendAsync($"templates {Tenant.DefaultDomain}", TestUsers.SecondTech));
        Assert.Contains("No templates yet.", list.CardText, StringComparison.Ordinal);
        var editor = await fixture.Bot.InvokeAsync(AddUserSettingsCards.NewTemplateVerb, new JsonObject { ["tenantId"] = Tenant.TenantId }, TestUsers.SecondTech);
        Assert.Contains(groupId, ChoiceValues(editor.Card, AddUserSettingsCards.TemplateGroupsInput));
        var saved = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SaveTemplateVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.TemplateNameInput] = "Front desk",
            [AddUserSettingsCards.TemplateLicensesInput] = sku,
            [AddUserSettingsCards.TemplateGroupsInput] = groupId,
            [AddUserSettingsCards.TemplateDepartmentInput] = "Reception",
            [AddUserSettingsCards.TemplateUsageLocationInput] = "gb",
            [AddUserSettingsCards.TemplateFormatInput] = AddUserTemplate.FLast,
        }, TestUsers.SecondTech);
        Assert.Contains("Saved “Front desk”.", saved.CardText, StringComparison.Ordinal);
        Assert.Contains(group["displayName"]!.GetValue<string>(), saved.CardText, StringComparison.Ordinal);

        // A forged group id (not in this tenant) is refused on its field.
        var forged = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SaveTemplateVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.TemplateNameInput] = "Forged",
            [AddUserSettingsCards.TemplateGroupsInput] = Guid.NewGuid().ToString(),
        }, TestUsers.SecondTech);
        Assert.Contains("Choose groups from the list.", forged.CardText, StringComparison.Ordinal);

        // Helpdesk: sees the template, cannot change it.
        var viewed = Assert.Single(await fixture.Bot.SendAsync($"templates {Tenant.DefaultDomain}", TestUsers.Tech));
        Assert.Contains("Front desk", viewed.CardText, StringComparison.Ordinal);
        Assert.Empty(CardJson.Verbs(viewed.Card));
        var refused = await fixture.Bot.InvokeAsync(AddUserSettingsCards.DeleteTemplateVerb, new JsonObject { ["tenantId"] = Tenant.TenantId, [AddUserSettingsCards.TemplateKey] = "Front desk" }, TestUsers.Tech);
        Assert.Equal(403, refused.StatusCode);

        // The Add User card offers it; applying fills the card and keeps what was typed.
        var form = Assert.Single(await fixture.Bot.SendAsync($"add user {Tenant.DefaultDomain}", TestUsers.Tech), c => c.Cards.Count == 1);
        Assert.Equal(["Front desk"], ChoiceValues(form.Card, AddUserForm.Template));
        var surname = NewUsername("Doe");
        var applied = await fixture.Bot.InvokeAsync(AddUserCards.ApplyTemplateVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserForm.Template] = "Front desk",
            [AddUserForm.GivenName] = "Jane",
            [AddUserForm.Surname] = surname,
            [AddUserForm.City] = "Leeds",
            [AddUserForm.Domain] = Tenant.DefaultDomain,
        }, TestUsers.Tech, TestConversation.HelpdeskChannel, form.ActivityId);
        var username = "j" + surname.ToLowerInvariant();
        Assert.Equal(username, Value(applied.Card, AddUserForm.Username));
        Assert.Equal("Reception", Value(applied.Card, AddUserForm.Department));
        Assert.Equal("GB", Value(applied.Card, AddUserForm.UsageLocation));
        Assert.Equal(sku, Value(applied.Card, AddUserForm.Licenses));
        Assert.Equal(groupId, Value(applied.Card, AddUserForm.Groups));
        Assert.Equal("Leeds", Value(applied.Card, AddUserForm.City));

        // Creating from the applied card: the user has the template's department, license and group.
        var submit = new JsonObject();
        foreach (var field in new[] { AddUserForm.GivenName, AddUserForm.Surname, AddUserForm.Username, AddUserForm.Domain, AddUserForm.Department, AddUserForm.UsageLocation, AddUserForm.Licenses, AddUserForm.Groups, AddUserForm.City })
            submit[field] = Value(applied.Card, field);
        submit["tenantId"] = Tenant.TenantId;
        submit[AddUserForm.PasswordMode] = "generated";
        var id = await SubmitAsync(fixture.Bot, submit);
        await ConfirmAsync(fixture.Bot, id);
        var op = await FinishedAsync(fixture.Bot.Services, id);
        Assert.True(op.State == OperationState.Succeeded, string.Join("; ", op.Results.Select(r => r.Message)));
        var user = state.FindUser($"{username}@{Tenant.DefaultDomain}");
        Assert.NotNull(user);
        Assert.Equal("Reception", user["department"]!.GetValue<string>());
        Assert.Contains(sku, user["assignedLicenses"]!.AsArray().Select(l => l!["skuId"]!.GetValue<string>()));
        Assert.Contains(user["id"]!.GetValue<string>(), state.GroupMemberIds(groupId));

        // Rename, then delete; each change is audited.
        var renamed = await fixture.Bot.InvokeAsync(AddUserSettingsCards.SaveTemplateVerb, new JsonObject
        {
            ["tenantId"] = Tenant.TenantId,
            [AddUserSettingsCards.TemplateKey] = "Front desk",
            [AddUserSettingsCards.TemplateNameInput] = "Reception desk",
            [AddUserSettingsCards.TemplateFormatInput] = AddUserTemplate.First,
        }, TestUsers.SecondTech);
        Assert.Contains("Reception desk", renamed.CardText, StringComparison.Ordinal);
        Assert.DoesNotContain("Front desk", renamed.CardText, StringComparison.Ordinal);
        var deleted = await fixture.Bot.InvokeAsync(AddUserSettingsCards.DeleteTemplateVerb, new JsonObject { ["tenantId"] = Tenant.TenantId, [AddUserSettingsCards.TemplateKey] = "Reception desk" }, TestUsers.SecondTech);
        Assert.Contains("No templates yet.", deleted.CardText, StringComparison.Ordinal);
        var audit = (await fixture.Bot.Services.GetRequiredService<AuditLog>().QueryAsync(Tenant.TenantId, null, 50, Ct))
            .Where(e => e.Action == AddUserTemplatesFeature.AuditAction).Select(e => e.Detail).ToList();
        Assert.Equal(["Template “Reception desk” deleted.", "Template “Reception desk” changed.", "Template “Front desk” created."], audit);
    }
}
