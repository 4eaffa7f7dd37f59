using CippUsers.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);
await builder.AddCippBotAsync();

var app = builder.Build();
app.MapCippBot();
await app.RunAsync();

public partial class Program;
