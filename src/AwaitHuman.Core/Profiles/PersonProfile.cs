using Marten;

namespace AwaitHuman.Core.Profiles;

/// <summary>
/// A person's own settings beside Identity's person (which keeps the display name): the same in every
/// tenant they belong to, as people are global. The id is the person's.
/// </summary>
public sealed class PersonProfile
{
    public Guid Id { get; set; }

    /// <summary>An IANA time zone the console shows times in; null until the browser's is taken on the first visit.</summary>
    public string? TimeZone { get; set; }

    public bool EmailWhenAssigned { get; set; } = true;
    public bool EmailBeforeSlaBreach { get; set; } = true;
}

public static class ProfilesConfiguration
{
    public static void ConfigureProfiles(this StoreOptions opts) => opts.Schema.For<PersonProfile>().SingleTenanted();
}
