using System.Text.Json.Nodes;
using CippUsers.Bot.Features.AddUser;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;

namespace CippUsers.Bot.Tests.Features.AddUser;

/// Every card of Add User, for the schema test.
public sealed class AddUserCardSamples : ICardSampleSource
{
    internal static readonly CustomerTenant Tenant = new("3f6b1c2e-8d4a-4e71-9b0c-5a2d7e9f1c01", "Contoso \"Dental\"", "contosodental.com");

    public IEnumerable<CardSample> Samples()
    {
        TenantDomain[] domains = [new("contosodental.com", true, false, "Managed"), new("contosodental.onmicrosoft.com", false, true, "Managed")];
        LicenseSku[] skus = [new(Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df"), "ENTERPRISEPREMIUM", "Office 365 E5", 10, 10, "User", "Enabled")];
        var form = new AddUserForm(new Dictionary<string, string>
        {
            [AddUserForm.GivenName] = "Jane",
            [AddUserForm.Surname] = "Doe",
            [AddUserForm.Username] = "jane.doe",
            [AddUserForm.Manager] = "u-1",
            [AddUserForm.ManagerSearch] = "jo",
            [AddUserForm.AttributePrefix + "employeeId"] = "E1",
        });
        UserChoice[] people = [new("u-1", "John <Boss>", "john@contosodental.com"), new("u-2", "Joan", "joan@contosodental.com")];
        var errors = new Dictionary<string, string> { [AddUserForm.Username] = "Username is required.", [AddUserForm.CopyGroupsFrom] = "Copy groups from: not in this tenant." };

        yield return new("AddUser/Form", AddUserCards.Form(Tenant, domains, skus, ["employeeId", "faxNumber"], form, new Dictionary<string, string>(), ["favouriteColour"]));
        yield return new("AddUser/FormFullLists", AddUserCards.Form(Tenant, domains, skus, [], form, errors, [],
            new AddUserFormExtras { Manager = new UserPicker(people, true, null), CopyGroupsFrom = new UserPicker(people, true, null) }));
        yield return new("AddUser/FormSearched", AddUserCards.Form(Tenant, domains, skus, [], form, errors, [],
            new AddUserFormExtras { Manager = new UserPicker(people, false, "jo"), CopyGroupsFrom = new UserPicker([], false, "zz") }));

        yield return new("AddUser/FormTemplates", AddUserCards.Form(Tenant, domains, skus, [], form.With((AddUserForm.Groups, "g-1,g-2"), (AddUserForm.Template, "Nurses")), errors, [],
            new AddUserFormExtras { Templates = ["Nurses", "Front \"desk\""], Groups = [new("g-1", "Clinic <all>")] }));

        var prefs = new AddUserPreferences(["employeeId"], "GB", "contosodental.com", true, 20);
        yield return new("AddUser/PreferencesEdit", AddUserSettingsCards.Preferences(Tenant, prefs, domains, canEdit: true, notice: "Saved.",
            errors: new Dictionary<string, string> { [AddUserSettingsCards.LengthInput] = "The length is a whole number from 8 to 256." }));
        yield return new("AddUser/PreferencesView", AddUserSettingsCards.Preferences(Tenant, AddUserPreferences.Default, domains, canEdit: false));
        var template = new AddUserTemplate("Nurses", [skus[0].SkuId], [new("g-1", "Clinic")], "Clinic", "GB", AddUserTemplate.FLast);
        yield return new("AddUser/Templates", AddUserSettingsCards.Templates(Tenant, [template, template with { Name = "Empty", Licenses = [], Groups = [] }],
            new Dictionary<Guid, string> { [skus[0].SkuId] = "Office 365 E5" }, canEdit: true, notice: "Saved “Nurses”."));
        yield return new("AddUser/TemplatesView", AddUserSettingsCards.Templates(Tenant, [], new Dictionary<Guid, string>(), canEdit: false));
        yield return new("AddUser/TemplateNew", AddUserSettingsCards.TemplateEditor(Tenant, null, skus, [new("g-1", "Clinic")]));
        yield return new("AddUser/TemplateEdit", AddUserSettingsCards.TemplateEditor(Tenant, template, skus, [new("g-1", "Clinic")],
            new Dictionary<string, string> { [AddUserSettingsCards.TemplateNameInput] = "Give the template a name." }));

        var op = Operation(OperationState.PartlySucceeded) with
        {
            Results = [new("Create", "Create", true, "Created jane.doe@contosodental.com"), new("Manager", "Manager", false, "Manager u-1: not found")],
        };
        yield return new("AddUser/Confirmation", AddUserCards.Confirmation(Operation(OperationState.AwaitingConfirmation), form, new Dictionary<string, string> { [AddUserForm.Manager] = "John <Boss> (john@contosodental.com)" }));
        yield return new("AddUser/Running", AddUserCards.Running("jane.doe@contosodental.com"));
        yield return new("AddUser/Message", AddUserCards.Message("Add user", "Cancelled; nothing was created."));
        yield return new("AddUser/ResultPartly", AddUserCards.Result(op, "jane.doe@contosodental.com"));
    }

    internal static PendingOperation Operation(OperationState state) => new()
    {
        Id = Guid.Parse("9a0b7c1d-0000-4000-8000-000000000001"),
        RequesterAadObjectId = TestUsers.Tech.AadObjectId,
        RequesterName = TestUsers.Tech.Name,
        TenantId = Tenant.TenantId,
        TenantName = Tenant.DisplayName,
        ActionId = AddUserFeature.ActionId,
        Targets = [new("jane.doe@contosodental.com", "Jane Doe", "jane.doe@contosodental.com")],
        Parameters = new JsonObject { [AddUserForm.Username] = "jane.doe" },
        State = state,
        CreatedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
    };
}
