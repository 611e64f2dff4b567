using System.Data.Common;
using AwaitHuman.Core.Escalations;
using AwaitHuman.Core.Escalations.Inbox;
using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace AwaitHuman.Core.Assignment;

/// <summary>
/// How many escalations each person holds (owns, or has an open offer of), per channel, kept by
/// PostgreSQL beside the inbox summaries: a trigger on the summary table adds one to the new holder
/// and takes one from the old in the transaction that changes the summary. An assignment then reads
/// one row per person and channel instead of counting every escalation its candidates hold, which
/// made each decision slower as the day's work piled up.
/// </summary>
/// <remarks>
/// Derived from the same columns the count used to read (<c>status</c>, <c>operator_id</c>,
/// <c>offered_to_id</c>), so no handler has to remember to keep it. When a trigger is created, the
/// table is counted afresh from the summaries in that migration (creating a trigger locks the summary
/// table against writes until the migration commits), which also fills it on a database that had work
/// before it existed.
/// </remarks>
public sealed class AssignmentLoads(StoreOptions options) : FeatureSchemaBase("AssignmentLoads", options.Advanced.Migrator)
{
    public const string TableName = "assignment_loads";

    /// <summary>Registered after the document tables, which the trigger needs to exist.</summary>
    public static void Configure(StoreOptions options) => options.Storage.Add(new AssignmentLoads(options));

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        PostgresqlObjectName Name(string name, SchemaUtils.IdentifierUsage usage = SchemaUtils.IdentifierUsage.General) =>
            new(options.DatabaseSchemaName, name, usage);
        var loads = Name(TableName);
        var summaries = ((IReadOnlyStoreOptions)options).FindOrResolveDocumentType(typeof(EscalationSummary)).TableName;

        var table = new Table(loads);
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("person_id").AsPrimaryKey();
        table.AddColumn<string>("channel").AsPrimaryKey();
        table.AddColumn<int>("held").NotNull();
        yield return table;

        var track = Name("track_assignment_load", SchemaUtils.IdentifierUsage.Function);
        yield return new Function(track, $$"""
            CREATE OR REPLACE FUNCTION {{track}}() RETURNS trigger LANGUAGE plpgsql AS $function$
            DECLARE
                old_holder varchar;
                new_holder varchar;
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    old_holder := {{HolderOf("OLD")}};
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    new_holder := {{HolderOf("NEW")}};
                END IF;
                -- An escalation's channel is set when it opens and never changes.
                IF old_holder IS NOT DISTINCT FROM new_holder THEN
                    RETURN NULL;
                END IF;
                IF old_holder IS NOT NULL THEN
                    UPDATE {{loads}} SET held = held - 1
                    WHERE tenant_id = OLD.tenant_id AND person_id = old_holder AND channel = coalesce(OLD.data ->> 'Channel', '');
                END IF;
                IF new_holder IS NOT NULL THEN
                    INSERT INTO {{loads}} AS l (tenant_id, person_id, channel, held)
                    VALUES (NEW.tenant_id, new_holder, coalesce(NEW.data ->> 'Channel', ''), 1)
                    ON CONFLICT (tenant_id, person_id, channel) DO UPDATE SET held = l.held + 1;
                END IF;
                RETURN NULL;
            END;
            $function$;
            """);

        var empty = Name("empty_assignment_loads", SchemaUtils.IdentifierUsage.Function);
        yield return new Function(empty, $$"""
            CREATE OR REPLACE FUNCTION {{empty}}() RETURNS trigger LANGUAGE plpgsql AS $function$
            BEGIN
                TRUNCATE {{loads}};
                RETURN NULL;
            END;
            $function$;
            """);

        // Three row triggers, so PostgreSQL calls the function only when a holder can have changed:
        // most summary writes (a message, a note) leave status and holders alone. A trigger's name is
        // its version: change what one does, and give it a new name.
        yield return new CountingTrigger(Name("track_assignment_load_insert"), summaries, $"{track}()", loads)
        {
            Timing = TriggerTiming.After, Events = TriggerEvents.Insert, ForEachRow = true,
            Condition = "NEW.operator_id IS NOT NULL OR NEW.offered_to_id IS NOT NULL",
        };
        yield return new CountingTrigger(Name("track_assignment_load_update"), summaries, $"{track}()", loads)
        {
            Timing = TriggerTiming.After, Events = TriggerEvents.Update, ForEachRow = true,
            Condition = "OLD.status IS DISTINCT FROM NEW.status OR OLD.operator_id IS DISTINCT FROM NEW.operator_id OR OLD.offered_to_id IS DISTINCT FROM NEW.offered_to_id",
        };
        yield return new CountingTrigger(Name("track_assignment_load_delete"), summaries, $"{track}()", loads)
        {
            Timing = TriggerTiming.After, Events = TriggerEvents.Delete, ForEachRow = true,
            Condition = "OLD.operator_id IS NOT NULL OR OLD.offered_to_id IS NOT NULL",
        };
        yield return new CountingTrigger(Name("empty_assignment_loads"), summaries, $"{empty}()", loads)
        {
            Timing = TriggerTiming.After, Events = TriggerEvents.Truncate, ForEachRow = false,
        };
    }

    /// <summary>Who holds a summary row: its operator while a human has it, else whoever has an open offer of it.</summary>
    static string HolderOf(string row) =>
        $"CASE {row}.status WHEN '{EscalationStatuses.WithHuman}' THEN {row}.operator_id WHEN '{EscalationStatuses.WaitingForHuman}' THEN {row}.offered_to_id END";

    /// <summary>
    /// A trigger that counts the table afresh in the migration that creates it, and that is there or not:
    /// PostgreSQL shows a trigger's condition and function in its own rendering (parentheses, casts, the
    /// schema only when it is off the search path), so comparing definitions would find a change on every
    /// start and drop, create and count again each time.
    /// </summary>
    sealed class CountingTrigger(DbObjectName identifier, DbObjectName target, string functionCall, DbObjectName loads)
        : Trigger(identifier, target, functionCall)
    {
        public override async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default) =>
            new SchemaObjectDelta(this, await reader.ReadAsync(ct) ? SchemaPatchDifference.None : SchemaPatchDifference.Create);

        public override void WriteCreateStatement(Migrator migrator, TextWriter writer)
        {
            base.WriteCreateStatement(migrator, writer);
            writer.WriteLine($"""
                DELETE FROM {loads};
                INSERT INTO {loads} (tenant_id, person_id, channel, held)
                SELECT tenant_id, holder, channel, count(*)
                FROM (SELECT tenant_id, {HolderOf("s")} AS holder, coalesce(data ->> 'Channel', '') AS channel FROM {Target} s) held
                WHERE holder IS NOT NULL
                GROUP BY tenant_id, holder, channel;
                """);
        }
    }
}
