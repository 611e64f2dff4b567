using Marten;
using Marten.Events.Projections;
using JasperFx.Events.Projections;

namespace AwaitHuman.Core.PersonalAccessTokens;

public static class PersonalAccessTokensConfiguration
{
    public static void ConfigurePersonalAccessTokens(this StoreOptions opts)
    {
        opts.Projections.Snapshot<PersonalAccessToken>(SnapshotLifecycle.Inline);
        opts.Schema.For<PersonalAccessToken>().UniqueIndex(token => token.Hash);
    }
}
