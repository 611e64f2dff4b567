using AwaitHuman.Core.Security;
using AwaitHuman.Core.UseCases;
using Wolverine;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace AwaitHuman.Core.Members;

/// <summary>
/// The members page's changes (a Blazor circuit has no request): the same use cases as
/// <c>PATCH</c> and <c>DELETE /v1/members/{id}</c>, in a session of the caller's tenant whose messages
/// go through the outbox, committed only when the use case succeeded.
/// </summary>
public sealed class MemberAdministration(OutboxedSessionFactory outbox, IWolverineRuntime runtime, TimeProvider clock)
{
    public Task<Outcome<MemberInfo>> ChangeRoleAsync(Caller caller, Actor by, Guid id, string? role, CancellationToken ct) =>
        RunAsync(caller, (session, _) => MemberUseCases.ChangeRoleAsync(caller.Role, by, id, new ChangeMemberRole(role), session, clock, ct), ct);

    public Task<Outcome<MemberInfo>> RemoveAsync(Caller caller, Actor by, Guid id, CancellationToken ct) =>
        RunAsync(caller, (session, bus) => MemberUseCases.RemoveAsync(caller.Role, by, id, session, bus, clock, ct), ct);

    async Task<Outcome<MemberInfo>> RunAsync(Caller caller, Func<Marten.IDocumentSession, IMessageBus, Task<Outcome<MemberInfo>>> change, CancellationToken ct)
    {
        var bus = new MessageContext(runtime, caller.TenantId);
        await using var session = outbox.OpenSession(bus);
        var outcome = await change(session, bus);
        if (outcome.Succeeded) await session.SaveChangesAsync(ct);
        return outcome;
    }
}
