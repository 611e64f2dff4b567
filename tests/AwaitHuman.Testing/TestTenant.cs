namespace AwaitHuman.Testing;

/// <summary>Random tenant ids: every test works in a tenant no other test touches.</summary>
public static class TestTenant
{
    public static string NewId() => $"test-{Guid.NewGuid():N}";
}
