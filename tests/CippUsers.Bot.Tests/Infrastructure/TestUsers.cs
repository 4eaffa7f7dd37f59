namespace CippUsers.Bot.Tests.Infrastructure;

/// <summary>A Teams user as the bot sees one: Entra object id, display name, Teams id (29:...).</summary>
public sealed record TestUser(string AadObjectId, string Name, string ChannelUserId);

/// <summary>The people and places of the test MSP.</summary>
public static class TestUsers
{
    public const string MspTenantId = "5f1c0a8e-3c1d-4a53-9f1e-0c7a2b6d9e41";

    public static readonly TestUser Tech = new("8d3f6a2e-1b4c-4e8f-9a7d-2c5b1e0f3a61", "Alex Tech", "29:alex-tech");
    public static readonly TestUser SecondTech = new("1a7e5c3b-9d2f-4b6a-8e1c-7f4d2a9b0c52", "Sam Tech", "29:sam-tech");
    public static readonly TestUser Approver = new("c4b2e9f1-7a3d-4c8e-b5f6-1d0a9e8c7b43", "Pat Approver", "29:pat-approver");
}

/// <summary>Where an activity happens.</summary>
public sealed record TestConversation(string Id, string Type, string? TeamId = null, string? ChannelId = null)
{
    public static TestConversation PersonalWith(TestUser user) => new($"a:personal-{user.ChannelUserId}", "personal");

    public static readonly TestConversation GroupChat = new("19:techs-group@thread.v2", "groupChat");

    public static readonly TestConversation HelpdeskChannel = new(
        "19:helpdesk@thread.tacv2", "channel", TeamId: "19:msp-team@thread.tacv2", ChannelId: "19:helpdesk@thread.tacv2");
}
