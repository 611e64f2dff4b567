using AwaitHuman.Core.Routing;
using Marten;
using Wolverine;

namespace AwaitHuman.Core.PeopleNotifications;

public static class PeopleNotificationsConfiguration
{
    /// <remarks>The time is a column too: the list pages by (at, id) in the database.</remarks>
    public static void ConfigurePeopleNotifications(this StoreOptions opts) =>
        opts.Schema.For<PersonNotification>().Duplicate(n => n.PersonId).Duplicate(n => n.At);

    /// <summary>On routing's durable queue: a notice is part of the routing step that decided it.</summary>
    public static void ConfigurePeopleNotifications(this WolverineOptions opts) =>
        opts.PublishMessage<NotifyPeople>().ToLocalQueue(RoutingConfiguration.Queue);
}
