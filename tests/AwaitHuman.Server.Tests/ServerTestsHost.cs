using AwaitHuman.Server.Tests;
using AwaitHuman.Testing;

[assembly: AssemblyFixture(typeof(ServerTestsHost))]

namespace AwaitHuman.Server.Tests;

/// <summary>The host these tests share; it also runs the handlers declared in this assembly.</summary>
public sealed class ServerTestsHost : AwaitHumanHost;
