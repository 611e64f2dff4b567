using AwaitHuman.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace AwaitHuman.Server.Tests.Hosting;

public record RecordProbe(Guid ProbeId, string Note);

public record ProbeRecorded(Guid ProbeId, string Note);

public sealed class ProbeNote
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>A handler as capabilities will write them: it returns nothing and lets Wolverine commit.</summary>
public static class RecordProbeHandler
{
    public static void Handle(RecordProbe command, IDocumentSession session)
    {
        session.Events.StartStream(command.ProbeId, new ProbeRecorded(command.ProbeId, command.Note));
        if (command.Note == "fail") throw new InvalidOperationException("The probe was told to fail.");
    }
}

public class CritterStackTests(ServerTestsHost host)
{
    readonly string _tenant = TestTenant.NewId();

    [Fact]
    public async Task A_message_published_for_a_tenant_goes_through_a_durable_queue_and_writes_only_to_that_tenant()
    {
        var probe = new RecordProbe(Guid.CreateVersion7(), "hello");

        var tracked = await host.App.Host.PublishForTenantAndWaitAsync(_tenant, probe);

        var envelope = tracked.Executed.SingleEnvelope<RecordProbe>();
        envelope.TenantId.ShouldBe(_tenant);
        var runtime = host.App.Services.GetRequiredService<IWolverineRuntime>();
        runtime.Endpoints.EndpointFor(envelope.Destination!)!.Mode.ShouldBe(EndpointMode.Durable);

        await using var mine = host.App.Store.QuerySession(_tenant);
        var events = await mine.Events.FetchStreamAsync(probe.ProbeId, token: TestContext.Current.CancellationToken);
        events.Single().Data.ShouldBe(new ProbeRecorded(probe.ProbeId, "hello"));
        events.Single().TenantId.ShouldBe(_tenant);

        await using var someoneElse = host.App.Store.QuerySession(TestTenant.NewId());
        (await someoneElse.Events.FetchStreamAsync(probe.ProbeId, token: TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_handler_that_fails_stores_nothing_and_its_message_is_kept_as_a_dead_letter()
    {
        var probe = new RecordProbe(Guid.CreateVersion7(), "fail");

        var tracked = await host.App.Host.TrackActivity(TimeSpan.FromSeconds(30))
            .DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync(context => context.PublishAsync(probe, new DeliveryOptions { TenantId = _tenant }));

        tracked.MovedToErrorQueue.SingleEnvelope<RecordProbe>().TenantId.ShouldBe(_tenant);
        await using var session = host.App.Store.QuerySession(_tenant);
        (await session.Events.FetchStreamAsync(probe.ProbeId, token: TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Documents_belong_to_the_tenant_that_stored_them()
    {
        var note = new ProbeNote { Id = Guid.CreateVersion7(), Text = "mine" };
        await using (var session = host.App.Store.LightweightSession(_tenant))
        {
            session.Store(note);
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var mine = host.App.Store.QuerySession(_tenant);
        (await mine.LoadAsync<ProbeNote>(note.Id, TestContext.Current.CancellationToken))!.Text.ShouldBe("mine");

        await using var someoneElse = host.App.Store.QuerySession(TestTenant.NewId());
        (await someoneElse.LoadAsync<ProbeNote>(note.Id, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await someoneElse.Query<ProbeNote>().CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
    }
}
