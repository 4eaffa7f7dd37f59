using System.Text.Json.Nodes;
using CippUsers.Bot.Conversations;
using CippUsers.Bot.Storage;
using CippUsers.Bot.Tests.Postgres;

namespace CippUsers.Bot.Tests.Storage;

public sealed class ConversationAndPreferenceStoreTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Helpdesk_channel_is_the_tenants_own_else_the_all_tenants_one(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var store = storage.Conversations;
        Assert.Null(await store.GetHelpdeskChannelAsync("tenant-a", Ct));

        var all = TestStorage.Channel("msp", "19:all@thread.tacv2");
        var contoso = TestStorage.Channel("msp", "19:contoso@thread.tacv2");
        var contosoMoved = TestStorage.Channel("msp", "19:contoso-new@thread.tacv2");
        await store.SetHelpdeskChannelAsync(ConversationStore.AllTenants, all, Ct);
        await store.SetHelpdeskChannelAsync("tenant-a", contoso, Ct);
        await store.SetHelpdeskChannelAsync("tenant-a", contosoMoved, Ct);

        Assert.Equal(contosoMoved, await store.GetHelpdeskChannelAsync("tenant-a", Ct));
        Assert.Equal(all, await store.GetHelpdeskChannelAsync("tenant-b", Ct));
        Assert.True(await store.RemoveHelpdeskChannelAsync("tenant-a", Ct));
        Assert.False(await store.RemoveHelpdeskChannelAsync("tenant-a", Ct));
        Assert.Equal(all, await store.GetHelpdeskChannelAsync("tenant-a", Ct));
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Personal_chats_are_kept_per_tech_and_replaced(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);
        var chat = new ConversationAddress("https://smba.example/", "a:1on1", ConversationKind.Personal, "msp", null, null, "28:bot", null);

        await storage.Conversations.SavePersonalChatAsync("aad-1", chat, Ct);
        await storage.Conversations.SavePersonalChatAsync("aad-1", chat with { ConversationId = "a:1on1-new" }, Ct);

        Assert.Equal(chat with { ConversationId = "a:1on1-new" }, await storage.Conversations.GetPersonalChatAsync("aad-1", Ct));
        Assert.Null(await storage.Conversations.GetPersonalChatAsync("aad-2", Ct));
        // Personal chats and helpdesk channels do not share keys.
        Assert.Null(await storage.Conversations.GetHelpdeskChannelAsync("aad-1", Ct));
    }

    [Theory]
    [MemberData(nameof(TestStorage.Providers), MemberType = typeof(TestStorage))]
    public async Task Preferences_are_upserted_per_scope_and_key(StorageProvider provider)
    {
        await using var storage = await TestStorage.FreshAsync(provider, postgres);

        await storage.Preferences.SetAsync("tenant-a", "columns", new JsonObject { ["list"] = new JsonArray("displayName", "mail") }, Ct);
        await storage.Preferences.SetAsync("tenant-a", "columns", new JsonObject { ["list"] = new JsonArray("upn") }, Ct);
        await storage.Preferences.SetAsync("tenant-b", "columns", new JsonObject { ["list"] = new JsonArray("id") }, Ct);

        Assert.Equal("""{"list":["upn"]}""", (await storage.Preferences.GetAsync("tenant-a", "columns", Ct))!.ToJsonString());
        Assert.Equal("""{"list":["id"]}""", (await storage.Preferences.GetAsync("tenant-b", "columns", Ct))!.ToJsonString());
        Assert.Null(await storage.Preferences.GetAsync("tenant-a", "other", Ct));
        await Assert.ThrowsAsync<SecretStorageException>(() => storage.Preferences.SetAsync("tenant-a", "template", new JsonObject { ["password"] = "x" }, Ct));
    }
}
