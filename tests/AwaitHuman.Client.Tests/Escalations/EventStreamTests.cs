using System.Text;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Client.Tests.Escalations;

[Collection(nameof(RealServer))]
public class EventStreamTests(ClientTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_agent_follows_the_escalation_and_resumes_after_the_last_event_it_saw()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);

        var seen = new List<EscalationEvent>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        await foreach (var escalationEvent in agent.StreamEventsAsync(created.Id, cancellationToken: limit.Token))
        {
            seen.Add(escalationEvent);
            if (escalationEvent.Type == "escalation.opened") await human.ActOkAsync(created.Id.ToString(), "claim");
            if (escalationEvent.Type == "escalation.claimed")
                await human.ActOkAsync(created.Id.ToString(), "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });
            if (escalationEvent.Type == "escalation.resolved") break;
        }

        seen.Select(e => e.Type).ShouldBe(["escalation.opened", "escalation.claimed", "escalation.resolved"]);
        seen[^1].HandBack!.Outcome.ShouldBe(HandBackOutcome.Resolved);
        seen[^1].HandBack!.Resolution!.Summary.ShouldBe("Refunded.");

        var afterOpened = new List<string>();
        await foreach (var escalationEvent in agent.StreamEventsAsync(created.Id, lastEventId: seen[0].Id, cancellationToken: limit.Token))
        {
            afterOpened.Add(escalationEvent.Id);
            if (escalationEvent.Type == "escalation.resolved") break;
        }
        afterOpened.ShouldBe(seen.Skip(1).Select(e => e.Id));
    }

    [Fact]
    public async Task A_dropped_connection_reconnects_with_the_last_event_id_and_misses_and_repeats_nothing()
    {
        var tenant = await _app.NewTenantAsync();
        var drops = new DropsAfterFirstEvent();
        await using var services = _app.AgentServices(tenant.ApiKey, builder => builder.AddHttpMessageHandler(() => drops));
        var agent = services.GetRequiredService<AwaitHumanClient>();
        var operatorMember = await _app.NewMemberAsync(tenant, "operator");
        using var human = _app.CreateHttpClient(operatorMember.Token);
        var created = await agent.EscalateAsync(RealAgents.Handoff(), cancellationToken: Ct);
        await human.ActOkAsync(created.Id.ToString(), "claim");
        await human.ActOkAsync(created.Id.ToString(), "resolve", new { outcome = "resolved", resolution = new { summary = "Refunded." } });

        var seen = new List<EscalationEvent>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        await foreach (var escalationEvent in agent.StreamEventsAsync(created.Id, cancellationToken: limit.Token))
        {
            seen.Add(escalationEvent);
            if (escalationEvent.Type == "escalation.resolved") break;
        }

        seen.Select(e => e.Type).ShouldBe(["escalation.opened", "escalation.claimed", "escalation.resolved"]);
        drops.LastEventIds.ShouldBe([null, seen[0].Id]);
    }

    /// <summary>Lets the first connection deliver one whole event, then breaks it; later connections pass.</summary>
    sealed class DropsAfterFirstEvent : DelegatingHandler
    {
        public List<string?> LastEventIds { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)) return response;
            LastEventIds.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
            if (LastEventIds.Count > 1) return response;

            var text = new StringBuilder();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[4096];
            int end;
            while ((end = FirstEventEnd(text.ToString())) < 0)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0) break;
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            var delivered = end < 0 ? text.ToString() : text.ToString()[..end];
            var broken = new HttpResponseMessage(response.StatusCode) { RequestMessage = request, Content = new StreamContent(new BreaksAfter(Encoding.UTF8.GetBytes(delivered))) };
            foreach (var header in response.Content.Headers) broken.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Dispose();
            return broken;
        }

        static int FirstEventEnd(string text)
        {
            var id = text.IndexOf("id: ", StringComparison.Ordinal);
            var end = id < 0 ? -1 : text.IndexOf("\n\n", id, StringComparison.Ordinal);
            return end < 0 ? -1 : end + 2;
        }
    }

    /// <summary>A body that ends in a network failure after its bytes.</summary>
    sealed class BreaksAfter(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(destination, cancellationToken);
            return read > 0 ? read : throw new IOException("The connection was reset.");
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("The connection was reset.");
        }
    }

    [Fact]
    public async Task An_unknown_escalation_ends_the_stream_with_not_found()
    {
        var tenant = await _app.NewTenantAsync();
        var agent = _app.Agent(tenant.ApiKey);

        await Should.ThrowAsync<AwaitHumanNotFoundException>(async () =>
        {
            await foreach (var _ in agent.StreamEventsAsync(Guid.NewGuid(), cancellationToken: Ct)) { }
        });
    }
}
