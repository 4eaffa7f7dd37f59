using CippUsers.TenantEmulator.Graph;
using CippUsers.TenantEmulator.State;

namespace CippUsers.TenantEmulator.Exchange;

/// <summary>
/// Gives a seeded tenant's mailboxes their Exchange side. Every licensed member whose licence carries an Exchange plan has
/// a mailbox; by position among them (the first three members, the admins, are left as user mailboxes) some are shared,
/// room or equipment mailboxes and some have an archive. Positions, not random draws, so every tenant of two dozen users
/// or more has at least one of each and the same seed always gives the same mailboxes.
/// </summary>
internal static class MailboxSeeder
{
    public static void Seed(TenantData tenant, DateTimeOffset seededAt)
    {
        var members = tenant.Users.Where(u => Mailboxes.IsMember(u)).ToList();
        var k = 0;
        foreach (var user in members.Skip(3).Where(u => Mailboxes.HasExchangePlan(tenant, u)))
        {
            var type = (k % 15 == 4) ? MailboxTypes.Shared
                : (k % 40 == 9) ? MailboxTypes.Room
                : (k % 40 == 12) ? MailboxTypes.Equipment
                : MailboxTypes.User;
            var archive = k % 5 == 2 && type is MailboxTypes.User or MailboxTypes.Shared;
            k++;
            if (type == MailboxTypes.User && !archive)
            {
                continue;
            }

            var mailbox = Mailboxes.Create(user, seededAt);
            mailbox.RecipientTypeDetails = type;
            if (archive)
            {
                mailbox.ArchiveGuid = Guid.Parse(GraphShapes.DeterministicGuid(user.Id + "archive"));
            }

            tenant.Mailboxes[user.Id] = mailbox;
        }
    }
}
