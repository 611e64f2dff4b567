using AwaitHuman.Server;
using AwaitHuman.Server.Admin;
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

// Our admin verbs print one JSON line on standard output; JasperFx's own chatter goes to standard error.
if (AdminHost.PrintsJson(args))
    Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
    {
        Out = new Spectre.Console.AnsiConsoleOutput(Console.Error),
    });

// JasperFx adds the admin verbs (db-apply, codegen, describe, ...) beside plain `run`.
return await app.RunJasperFxCommands(args);
