namespace CippUsers.Bot.Access;

/// Roles a tech can hold. Reader, Helpdesk and Admin are ranks (each includes the one before); Approver stands beside them.
[Flags]
internal enum Role
{
    None = 0,
    Reader = 1,
    Helpdesk = 2,
    Admin = 4,
    Approver = 8,
}
