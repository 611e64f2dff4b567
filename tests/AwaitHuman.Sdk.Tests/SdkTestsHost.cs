using AwaitHuman.Sdk.Tests;
using AwaitHuman.Testing;

[assembly: AssemblyFixture(typeof(SdkTestsHost))]

namespace AwaitHuman.Sdk.Tests;

/// <summary>The server and its PostgreSQL, shared by the SDKs' suites; each suite works in a tenant of its own.</summary>
public sealed class SdkTestsHost : AwaitHumanHost;
