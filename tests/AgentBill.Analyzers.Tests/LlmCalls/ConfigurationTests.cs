using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>.editorconfig: extra APIs, severity, trusting injected clients; AGB0005 for entries that match nothing.</summary>
public sealed class ConfigurationTests
{
    private const string CustomClient = """
        namespace Acme.Llm
        {
            public class AcmeClient
            {
                public Task<string> AskAsync(string prompt) => Task.FromResult(prompt);
                public Task<string> AskAsync(string prompt, int maxTokens) => Task.FromResult(prompt);
                public string Name => "acme";
                public string Describe() => Name;
            }
        }

        """;

    [Fact]
    public Task A_type_declared_in_editorconfig_has_every_method_checked()
        => new Verify(
            Usings.All + CustomClient + """
            class Agent
            {
                Task<string> AskAsync(Acme.Llm.AcmeClient client) => client.{|AGB0001:AskAsync|}("hello");
                string Describe(Acme.Llm.AcmeClient client) => client.{|AGB0001:Describe|}();
            }
            """,
            "agentbill.llm_apis = T:Acme.Llm.AcmeClient").RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public Task A_method_declared_in_editorconfig_has_all_its_overloads_checked_and_nothing_else()
        => new Verify(
            Usings.All + CustomClient + """
            class Agent
            {
                Task<string> AskAsync(Acme.Llm.AcmeClient client) => client.{|AGB0001:AskAsync|}("hello");
                Task<string> AskShortAsync(Acme.Llm.AcmeClient client) => client.{|AGB0001:AskAsync|}("hello", 10);
                string Describe(Acme.Llm.AcmeClient client) => client.Describe();
            }
            """,
            "agentbill.llm_apis = M:Acme.Llm.AcmeClient.AskAsync").RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public Task A_documentation_id_with_parameters_checks_that_overload_only_and_entries_are_comma_separated()
        => new Verify(
            Usings.All + CustomClient + """
            class Agent
            {
                Task<string> AskAsync(Acme.Llm.AcmeClient client) => client.AskAsync("hello");
                Task<string> AskShortAsync(Acme.Llm.AcmeClient client) => client.{|AGB0001:AskAsync|}("hello", 10);
                string Describe(Acme.Llm.AcmeClient client) => client.{|AGB0001:Describe|}();
            }
            """,
            "agentbill.llm_apis = M:Acme.Llm.AcmeClient.AskAsync(System.String,System.Int32), M:Acme.Llm.AcmeClient.Describe").RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public Task A_declared_api_called_in_a_gated_method_is_not_reported()
        => new Verify(
            Usings.All + CustomClient + """
            class Agent
            {
                [Gate("ask")]
                Task<string> AskAsync(Acme.Llm.AcmeClient client) => client.AskAsync("hello");
            }
            """,
            "agentbill.llm_apis = T:Acme.Llm.AcmeClient, M:Acme.Llm.AcmeClient.Describe").RunAsync(TestContext.Current.CancellationToken);

    [Fact]
    public Task An_entry_that_matches_nothing_is_reported_once_as_AGB0005()
    {
        var test = new Verify(Usings.All + "class Empty { }", "agentbill.llm_apis = T:Acme.Missing,M:Acme.Llm.Nothing.Run, X:bad");
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UnresolvedLlmApi, DiagnosticSeverity.Warning).WithArguments("M:Acme.Llm.Nothing.Run"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UnresolvedLlmApi, DiagnosticSeverity.Warning).WithArguments("T:Acme.Missing"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UnresolvedLlmApi, DiagnosticSeverity.Warning).WithArguments("X:bad"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task The_severity_of_AGB0001_is_set_in_editorconfig()
    {
        var test = new Verify(
            Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient client) => client.{|#0:GetResponseAsync|}("hello");
            }
            """,
            "dotnet_diagnostic.AGB0001.severity = suggestion");
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UngatedLlmCall, DiagnosticSeverity.Info)
            .WithLocation(0)
            .WithArguments("IChatClient.GetResponseAsync", "AskAsync"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task AGB0001_is_silenced_with_severity_none()
        => new Verify(
            Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }
            """,
            "dotnet_diagnostic.AGB0001.severity = none").RunAsync(TestContext.Current.CancellationToken);

    private const string InjectedClients = """
        class Agent(IChatClient injected)
        {
            private readonly IChatClient _client = injected;

            public Task<ChatResponse> AskAsync() => _client.{|#0:GetResponseAsync|}("hello");

            public Task<ChatResponse> AskDirectlyAsync() => injected.{|#1:GetResponseAsync|}("hello");

            public Task<ChatResponse> AskResolvedAsync(IServiceProvider services)
                => services.GetRequiredService<IChatClient>().{|#2:GetResponseAsync|}("hello");

            public Task<ChatResponse> AskParameterAsync(IChatClient client) => client.{|#3:GetResponseAsync|}("hello");
        }
        """;

    [Fact]
    public Task Injected_clients_are_reported_by_default()
    {
        var test = new Verify(Usings.All + InjectedClients);
        for (var i = 0; i < 4; i++)
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UngatedLlmCall, DiagnosticSeverity.Warning).WithLocation(i)
                .WithArguments("IChatClient.GetResponseAsync", i switch { 0 => "AskAsync", 1 => "AskDirectlyAsync", 2 => "AskResolvedAsync", _ => "AskParameterAsync" }));
        }

        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Trusting_injected_clients_silences_constructor_and_service_provider_clients_but_not_plain_parameters()
    {
        var test = new Verify(Usings.All + InjectedClients, "agentbill.trust_injected_clients = true");
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UngatedLlmCall, DiagnosticSeverity.Warning).WithLocation(3)
            .WithArguments("IChatClient.GetResponseAsync", "AskParameterAsync"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
