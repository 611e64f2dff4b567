using AwaitHuman.Core.AccountMailing;
using AwaitHuman.Core.ApiKeys;
using AwaitHuman.Core.Billing;
using AwaitHuman.Core.CannedReplies;
using AwaitHuman.Core.Channels;
using AwaitHuman.Core.DataRights;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Members;
using AwaitHuman.Core.OAuth;
using AwaitHuman.Core.Onboarding.GettingStarted;
using AwaitHuman.Core.Onboarding.Invitations;
using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.PeopleNotifications;
using AwaitHuman.Core.PersonalAccessTokens;
using AwaitHuman.Core.Profiles;
using AwaitHuman.Core.Routing;
using AwaitHuman.Core.SingleSignOn;
using AwaitHuman.Core.Sla;
using AwaitHuman.Core.Teams;
using AwaitHuman.Core.Tenancy;
using AwaitHuman.Core.Webhooks;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using JasperFx.Resources;
using Marten;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace AwaitHuman.Server.Hosting;

/// <summary>Marten (event store and documents) and Wolverine (messaging, HTTP endpoints) for every capability.</summary>
public static class CritterStack
{
    public const string DocumentSchema = "awaithuman";
    public const string MessageSchema = "wolverine";

    public static WebApplicationBuilder AddCritterStack(this WebApplicationBuilder builder, string postgresConnectionString)
    {
        var distribution = ProjectionDistributionSetting.Read(builder.Configuration);
        var marten = builder.Services.AddMarten(opts =>
            {
                opts.Connection(WithPoolTuning(postgresConnectionString));
                opts.DatabaseSchemaName = DocumentSchema;

                // Every tenant's events and documents share tables, each row tagged with its tenant.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.Events.AppendMode = EventAppendMode.Quick;
                // The aggregate FetchForWriting loaded is the one the inline snapshot advances on commit,
                // instead of loading it again. Handlers decide on it and never change it themselves.
                opts.Events.UseIdentityMapForAggregates = true;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                // Under HotCold a node takes up a dead node's projections when it next tries for their locks:
                // every second instead of every 5 s, at one query a second for each projection it lacks.
                opts.Projections.LeadershipPollingTime = 1000;

                opts.ConfigureTenancy();
                opts.ConfigureMembers();
                opts.ConfigureSingleSignOn();
                opts.ConfigureInvitations();
                opts.ConfigureGettingStarted();
                opts.ConfigureApiKeys();
                opts.ConfigurePersonalAccessTokens();
                opts.ConfigureOAuthClients();
                opts.ConfigureSandboxMailbox();
                opts.ConfigureAccountMail();
                opts.ConfigureEscalations();
                opts.ConfigureOperatorActions();
                opts.ConfigureWebhooks();
                opts.ConfigureChannels();
                opts.ConfigureTeams();
                opts.ConfigureSla();
                opts.ConfigureRouting();
                opts.ConfigurePeopleNotifications();
                opts.ConfigureBilling();
                opts.ConfigureProfiles();
                opts.ConfigureDataRights();
                opts.ConfigureCannedReplies();
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(integration =>
            {
                integration.MessageStorageSchemaName = MessageSchema;
                integration.UseWolverineManagedEventSubscriptionDistribution = distribution == ProjectionDistribution.Wolverine;
            })
            .ApplyAllDatabaseChangesOnStartup();
        // Which node runs each async projection and subscription (docs/decisions.md has the measurements).
        if (distribution == ProjectionDistribution.HotCold) marten.AddAsyncDaemon(DaemonMode.HotCold);

        builder.Host.UseWolverine(opts =>
        {
            opts.ServiceName = ServiceDefaults.ServiceName;
            opts.ApplicationAssembly = typeof(Program).Assembly;
            opts.Discovery.IncludeAssembly(typeof(Tenant).Assembly);
            // Identity, EF Core and OpenIddict register services through factories that generated
            // handler code cannot construct inline; those are resolved from the request's scope.
            opts.ServiceLocationPolicy = JasperFx.CodeGeneration.Model.ServiceLocationPolicy.AlwaysAllowed;

            // Every node is equal; one is elected leader and assigns Wolverine's agents: the recovery of a
            // dead node's durable messages, and the projections under ProjectionDistribution.Wolverine.
            opts.Durability.Mode = DurabilityMode.Balanced;
            // A node that stops heart-beating is ejected after StaleNodeTimeout and two checks, so its
            // agents move to a live node in about 20 s (35 s at worst) instead of the default 80 s.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(5);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(15);
            opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(10);

            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();

            // A scheduled timeout that meets a concurrent operator command simply tries again.
            opts.OnException<EventStreamUnexpectedMaxEventIdException>().RetryTimes(3);

            opts.ConfigureWebhooks();
            opts.ConfigureChannels(durable: builder.Configuration.GetValue($"{ChannelOptions.Section}:{nameof(ChannelOptions.DurableSending)}", true));
            opts.ConfigureRouting();
            opts.ConfigurePeopleNotifications();

            opts.Services.AddResourceSetupOnStartup();
        });

        // Handlers are compiled at run time in development. Production loads the types written by
        // `./awaithuman admin codegen write` when they were built in; any that are missing are
        // compiled once (WolverineFx.RuntimeCompilation) and written under Internal/Generated.
        builder.Services.CritterStackDefaults(defaults =>
        {
            defaults.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
            defaults.Production.GeneratedCodeMode = TypeLoadMode.Auto;
        });

        builder.Services.AddWolverineHttp();
        return builder;
    }

    /// <summary>
    /// Two pool settings for Marten's and Wolverine's connections, each kept as the connection string
    /// sets it if it does. Npgsql prepares a statement on a connection once it has run a few times, so
    /// PostgreSQL plans our repeated statements once per connection instead of on every call (0 turns it
    /// off, e.g. behind PgBouncer's transaction pooling). And a connection goes back to the pool
    /// without DISCARD ALL: Marten opens and returns one for each query, and the reset cost a statement
    /// each time and threw the prepared statements away before they were used. Nothing here leaves
    /// session state behind: locks are per transaction and LISTEN has a connection of its own.
    /// </summary>
    internal static string WithPoolTuning(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers whether a keyword exists at all, so the
        // keys actually given are read with the plain builder, ignoring case and spaces as Npgsql does.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("maxautoprepare")) builder.MaxAutoPrepare = 100;
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}
