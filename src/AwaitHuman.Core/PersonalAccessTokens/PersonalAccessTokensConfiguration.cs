using JasperFx.Events.Projections;
using Marten;

namespace AwaitHuman.Core.PersonalAccessTokens;

public static class PersonalAccessTokensConfiguration
{
    public static void ConfigurePersonalAccessTokens(this StoreOptions opts)
    {
        opts.Projections.Snapshot<PersonalAccessToken>(SnapshotLifecycle.Inline);
        opts.Schema.For<PersonalAccessToken>().UniqueIndex(token => token.Hash);
    }
}
