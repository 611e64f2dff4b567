using AwaitHuman.Server;
using JasperFx;

var app = AwaitHumanServer.Build(args);

// JasperFx adds the admin verbs (db-apply, codegen, describe, ...) beside plain `run`.
return await app.RunJasperFxCommands(args);
