using Marten;

namespace AwaitHuman.Core.AccountMailing;

public static class SandboxMailboxConfiguration
{
    public static void ConfigureSandboxMailbox(this StoreOptions opts) =>
        opts.Schema.For<SandboxEmail>().SingleTenanted().Index(email => email.To);
}
