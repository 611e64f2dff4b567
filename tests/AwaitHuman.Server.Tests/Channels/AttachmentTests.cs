using System.Net;
using System.Text;
using AwaitHuman.Connectors;
using AwaitHuman.Core.Channels.Sandbox;
using AwaitHuman.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AwaitHuman.Server.Tests.Channels;

public class AttachmentTests(ServerTestsHost host)
{
    readonly AwaitHumanApp _app = host.App;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_customers_file_is_served_as_a_download_to_its_tenant_only()
    {
        var tenant = await _app.NewTenantAsync();
        var other = await _app.NewTenantAsync();
        var request = EscalationScenarios.SampleRequest();
        request["customer"]!["preferred_channel"] = "email";
        var agent = _app.CreateHttpClient(tenant.ApiKey);
        var id = (await agent.OpenEscalationAsync(request)).GetProperty("id").GetString()!;
        var secondId = (await agent.OpenEscalationAsync(EscalationScenarios.SampleRequest())).GetProperty("id").GetString()!;
        var connections = await agent.ListAllAsync("/v1/channel-connections");
        var sandboxId = Guid.Parse(connections.Single(c => c.GetProperty("provider").GetString() == SandboxConnector.Name).GetProperty("id").GetString()!);
        var inbox = _app.Services.GetRequiredService<IChannelInbox>();
        var connection = (await inbox.FindConnectionAsync(SandboxConnector.Name, sandboxId, Ct))!;
        var html = Encoding.UTF8.GetBytes("<script>alert(1)</script>");

        (await inbox.ReceiveAsync(connection, new InboundMessage($"<{Guid.NewGuid():N}@mail.example>", "email", "ada@example.com", "Ada", "See attached.",
            DateTimeOffset.UtcNow, EscalationId: Guid.Parse(id), Attachments: [new InboundAttachment("receipt.html", "text/html", html)]), Ct)).ShouldBe(InboundResult.Accepted);

        var line = (await agent.GetEscalationAsync(id)).GetProperty("transcript").EnumerateArray().Last();
        var attachment = line.GetProperty("attachments")[0];
        attachment.GetProperty("file_name").GetString().ShouldBe("receipt.html");
        attachment.GetProperty("size").GetInt64().ShouldBe(html.Length);
        var attachmentId = attachment.GetProperty("id").GetString();

        using var download = await agent.GetAsync($"/v1/escalations/{id}/attachments/{attachmentId}", Ct);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await download.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(html);

        using var throughAnotherEscalation = await agent.GetAsync($"/v1/escalations/{secondId}/attachments/{attachmentId}", Ct);
        await throughAnotherEscalation.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var fromAnotherTenant = await _app.CreateHttpClient(other.ApiKey).GetAsync($"/v1/escalations/{id}/attachments/{attachmentId}", Ct);
        await fromAnotherTenant.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var unknown = await agent.GetAsync($"/v1/escalations/{id}/attachments/{Guid.NewGuid()}", Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
