namespace CippUsers.Bot.Teams;

/// <summary>A slice of the bot: registers its commands and card verbs in the route table.</summary>
public interface IFeature
{
    void Map(BotRoutes routes);
}
