using CippUsers.Bot.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCippBot();

var app = builder.Build();
app.MapCippBot();
app.Run();

public partial class Program;
