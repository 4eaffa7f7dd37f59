using System.Text.Json.Nodes;
using CippUsers.Bot.Cards;
using CippUsers.Bot.Features.BulkAdd;
using CippUsers.Bot.Features.Guests;
using CippUsers.Bot.Features.Imports;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Infrastructure;
using CippUsers.Graph;

namespace CippUsers.Bot.Tests.Features.BulkAdd;

/// Every card of bulk add, bulk invite and invite guest, for the schema test.
public sealed class ImportCardSamples : ICardSampleSource
{
    public IEnumerable<CardSample> Samples()
    {
        var tenant = new CustomerTenant("3f6b1c2e-8d4a-4e71-9b0c-5a2d7e9f1c01", "Contoso \"Dental\"", "contosodental.com");
        var now = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var op = new PendingOperation
        {
            Id = Guid.Parse("0d8a4c5e-1111-4222-8333-944455556666"),
            RequesterAadObjectId = "tech",
            RequesterName = "Alex Tech",
            TenantId = tenant.TenantId,
            TenantName = tenant.DisplayName,
            ActionId = BulkAddKind.Id,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
        };
        var users = new BulkAddKind(null!, null!, null!, null!, null!);
        var guests = new GuestImportKind(null!);
        var rows = Enumerable.Range(0, 150).Select(i => new StoredRow(i, i + 2, new JsonObject { ["username"] = $"u{i}", ["domain"] = "contosodental.com", ["displayName"] = $"User <{i}>" },
            i % 3 == 0 ? ImportRowState.Invalid : i % 3 == 1 ? ImportRowState.Succeeded : ImportRowState.Failed, i % 3 == 1 ? "id-" + i : null, i % 3 == 1 ? "Created" : "Unknown domain x.example")).ToList();
        IReadOnlyList<string> fields = [ImportColumns.DisplayName, ImportColumns.Username, ImportColumns.Domain];
        var options = new List<CardElement> { new TextInput("usageLocation") { Label = "Usage location", Value = "US", MaxLength = 2 } };

        yield return new("Imports/Options", ImportCards.Options(users, op, options, null));
        yield return new("Imports/OptionsGuests", ImportCards.Options(guests, op, GuestImportKind.Inputs(new JsonObject()), "The redirect URL must be absolute."));
        yield return new("Imports/Rows", ImportCards.Rows(users, op, 0, users.ManualInputs("contosodental.com"), null));
        yield return new("Imports/RowsGuestsWithError", ImportCards.Rows(guests, op, 3, guests.ManualInputs("contosodental.com"), "The CSV has no column I recognise as mail."));
        yield return new("Imports/Preview", ImportCards.Preview(users, op, rows, ["Fax"], fields, null));
        yield return new("Imports/PreviewAllInvalidNeedsApproval", ImportCards.Preview(guests, op, [.. rows.Where(r => r.State == ImportRowState.Invalid)], [], fields, "bulk request on 50 users (over 25)"));
        yield return new("Imports/Progress", ImportCards.Progress(users, op, ImportCounts.Of(rows.Take(40).ToList())));
        yield return new("Imports/Results", ImportCards.Results(users, op, rows, "bulk-add.csv was sent to you in a private chat."));
        yield return new("Imports/ResultsOneGuest", ImportCards.Results(guests, op, [rows[1] with { Detail = "Invited; guest id g-1; redeem URL https://login.microsoftonline.com/redeem?x=1" }], "sent"));
        yield return new("Imports/Approval", ImportCards.Approval(users, op, 120, "bulk request on 120 users (over 25)"));
        yield return new("Imports/Message", ImportCards.Message("Bulk add users", "Cancelled; nothing was created."));
        yield return new("Guests/InviteForm", InviteGuestFeature.Form(tenant, new JsonObject(), null));
        yield return new("Guests/InviteFormError", InviteGuestFeature.Form(tenant, new JsonObject { ["mail"] = "x", ["sendEmail"] = "false" }, "The guest's e-mail address is required."));
    }
}
