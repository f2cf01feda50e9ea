using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>UseServer and AgentBillHttpClient refuse a bad address or key at once, naming the argument, registering nothing.</summary>
public sealed class UseServerArgumentTests
{
    private const string WellFormedKey = "agb_0123456789abcdef0123456789abcdef0123456789abcdef";

    public static TheoryData<string?, string, string> BadArguments => new()
    {
        { null, WellFormedKey, "serverUri" },
        { "/relative", WellFormedKey, "serverUri" },
        { "ftp://agentbill.example/", WellFormedKey, "serverUri" },
        { "http://127.0.0.1:5000/", "not-a-key", "apiKey" },
        { "http://127.0.0.1:5000/", "agb_0123456789ABCDEF0123456789abcdef0123456789abcdef", "apiKey" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void UseServer_names_the_bad_argument_and_registers_nothing(string? uri, string key, string param)
    {
        var services = new ServiceCollection();
        var builder = services.AddAgentBill();
        var before = services.Count;

        var ex = Assert.ThrowsAny<ArgumentException>(() => builder.UseServer(uri is null ? null! : new Uri(uri, UriKind.RelativeOrAbsolute), key));

        Assert.Equal(param, ex.ParamName);
        Assert.Equal(before, services.Count);
    }

    [Fact]
    public void UseServer_refuses_a_null_key()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddAgentBill().UseServer(new Uri("http://127.0.0.1:5000/"), null!));

        Assert.Equal("apiKey", ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void AgentBillHttpClient_names_the_bad_argument(string? uri, string key, string param)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new AgentBillHttpClient(uri is null ? null! : new Uri(uri, UriKind.RelativeOrAbsolute), key));

        Assert.Equal(param, ex.ParamName);
    }
}
