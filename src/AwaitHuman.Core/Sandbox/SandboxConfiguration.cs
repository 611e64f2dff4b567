using Marten;

namespace AwaitHuman.Core.Sandbox;

public static class SandboxConfiguration
{
    public static void ConfigureSandbox(this StoreOptions opts) =>
        opts.Schema.For<SandboxEmail>().SingleTenanted().Index(email => email.To);
}
