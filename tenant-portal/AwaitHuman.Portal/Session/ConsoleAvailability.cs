using AwaitHuman.Core.OperatorActions;
using AwaitHuman.Core.Security;
using AwaitHuman.Core.Teams;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AwaitHuman.Portal.Session;

public sealed class ConsoleAvailabilityOptions
{
    /// <summary>Without a key press, click or pointer move in the console for this long, an online operator counts as away.</summary>
    public TimeSpan AwayAfterIdle { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The console circuits open on this node, per person, so the last one to close can take the person offline.</summary>
public sealed class OpenConsoles
{
    readonly Dictionary<(string Tenant, Guid Person), int> _open = [];
    readonly Lock _lock = new();

    public void Opened(string tenant, Guid person)
    {
        lock (_lock) _open[(tenant, person)] = _open.GetValueOrDefault((tenant, person)) + 1;
    }

    /// <summary>Returns how many of the person's consoles stay open on this node.</summary>
    public int Closed(string tenant, Guid person)
    {
        lock (_lock)
        {
            var left = _open.GetValueOrDefault((tenant, person)) - 1;
            if (left <= 0) _open.Remove((tenant, person));
            else _open[(tenant, person)] = left;
            return Math.Max(left, 0);
        }
    }
}

/// <summary>
/// The person's availability as this console circuit keeps it: online when the console opens (or what
/// the person chose last in this tab), the chosen status sent as the heartbeat routing expects while
/// the browser is connected, away after <see cref="ConsoleAvailabilityOptions.AwayAfterIdle"/> without
/// activity (and online again on the next one), offline when the person's last console on this node
/// closes. Without it an operator who only uses the console would never be given work.
/// </summary>
public sealed class ConsoleAvailability(PresenceActions presence, OpenConsoles open, TimeProvider clock, IOptions<ConsoleAvailabilityOptions> options, ILogger<ConsoleAvailability> log)
    : CircuitHandler, IAsyncDisposable
{
    Caller? _caller;
    ITimer? _heartbeat;
    bool _connected = true;
    bool _awayForIdle;
    readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>The status this console shows: what the person chose, or away while idle.</summary>
    public string Status { get; private set; } = PresenceStatuses.Offline;

    public TimeSpan AwayAfterIdle => options.Value.AwayAfterIdle;

    /// <summary>Raised after the status changed (by the person, idleness or another tab), on a thread of its own.</summary>
    public event Func<Task>? Changed;

    /// <param name="remembered">The status this browser tab chose last, kept across reloads; null after signing in.</param>
    public async Task StartAsync(Caller caller, string? remembered, CancellationToken ct)
    {
        if (_caller is not null || caller.PersonId is not { } person || !Roles.IsAtLeast(caller.Role, Roles.Operator)) return;
        _caller = caller;
        open.Opened(caller.TenantId, person);
        await SendAsync(remembered is not null && PresenceStatuses.All.Contains(remembered) ? remembered : PresenceStatuses.Online, ct);
        // Half the grace routing allows, so one late beat never makes an operator look away.
        var every = OperatorPresence.Grace / 2;
        _heartbeat = clock.CreateTimer(_ => _ = BeatAsync(), null, every, every);
    }

    /// <summary>The person picked a status in the top bar.</summary>
    public Task ChooseAsync(string status)
    {
        _awayForIdle = false;
        return SendAsync(status, CancellationToken.None);
    }

    public Task IdleAsync()
    {
        if (Status != PresenceStatuses.Online) return Task.CompletedTask;
        _awayForIdle = true;
        return SendAsync(PresenceStatuses.Away, CancellationToken.None);
    }

    public Task ActiveAsync()
    {
        if (!_awayForIdle || Status != PresenceStatuses.Away) return Task.CompletedTask;
        _awayForIdle = false;
        return SendAsync(PresenceStatuses.Online, CancellationToken.None);
    }

    /// <summary>
    /// Renews the status routing acts on. The stored choice wins over this tab's, so a choice made in
    /// another tab holds here too; offline is left alone (nothing to renew, and no tab may undo it).
    /// </summary>
    async Task BeatAsync()
    {
        if (_caller is null || !_connected) return;
        try
        {
            var stored = await presence.OfAsync(_caller, CancellationToken.None);
            if (stored.Status == PresenceStatuses.Offline)
            {
                if (Status != stored.Status) { Status = stored.Status; await RaiseAsync(); }
                return;
            }
            await SendAsync(stored.Status, CancellationToken.None);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The next beat tries again; a missed one only costs the grace period.
            log.LogWarning(failure, "The console's presence heartbeat failed");
        }
    }

    async Task SendAsync(string status, CancellationToken ct)
    {
        if (_caller is null) return;
        await _sending.WaitAsync(ct);
        try
        {
            var outcome = await presence.SetAsync(_caller, status, ct);
            if (!outcome.Succeeded) return;
            var changed = Status != outcome.Value.Status;
            Status = outcome.Value.Status;
            if (changed) await RaiseAsync();
        }
        finally { _sending.Release(); }
    }

    async Task RaiseAsync()
    {
        if (Changed is { } changed) await changed();
    }

    // While the browser is away (a dropped connection kept for reconnecting) no heartbeats go out, so
    // routing sees the person away, then offline, as it would for a closed laptop.
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct)
    {
        _connected = false;
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        _connected = true;
        return BeatAsync();
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
    {
        if (_caller is not { PersonId: { } person } caller) return;
        if (_heartbeat is not null) await _heartbeat.DisposeAsync();
        _heartbeat = null;
        _caller = null;
        if (open.Closed(caller.TenantId, person) > 0) return;
        try
        {
            var outcome = await presence.SetAsync(caller, PresenceStatuses.Offline, CancellationToken.None);
            if (!outcome.Succeeded) log.LogWarning("Could not take {Person} offline as their last console closed: {Problem}", person, outcome.Failure.Message);
        }
        catch (Exception failure)
        {
            // Routing's own check takes the person offline once the heartbeats have stopped long enough.
            log.LogWarning(failure, "Could not take {Person} offline as their last console closed", person);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null) await _heartbeat.DisposeAsync();
        _sending.Dispose();
    }
}
