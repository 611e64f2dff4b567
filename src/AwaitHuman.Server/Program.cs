using AwaitHuman.Server.Hosting;
using AwaitHuman.Server.Hosting.Database;
using JasperFx;
using Wolverine.Http;

var builder = WebApplication.CreateBuilder(args);

var postgres = builder.AddPostgres();
builder.AddServiceDefaults(postgres);
builder.AddCritterStack(postgres);
builder.Services.AddHostedService<StartupBanner>();

var app = builder.Build();

app.MapServiceDefaults();
app.MapWolverineEndpoints();

return await app.RunJasperFxCommands(args);

public partial class Program;
