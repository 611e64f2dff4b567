using AwaitHuman.Server;
using AwaitHuman.Server.Hosting.Database;
using JasperFx;

WebApplication app;
try
{
    app = AwaitHumanServer.Build(args);
}
catch (EmbeddedPostgresException problem)
{
    // What to install or change, without a stack trace in the way.
    Console.Error.WriteLine($"awaithuman: {problem.Message}");
    return 1;
}

// JasperFx adds the admin verbs (db-apply, codegen, describe, ...) beside plain `run`.
return await app.RunJasperFxCommands(args);
