using AgentBill.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis;
using Fix = AgentBill.Analyzers.Tests.CodeFixTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer, AgentBill.Analyzers.CodeFixes.AddGateAttributeCodeFixProvider>;

namespace AgentBill.Analyzers.Tests.CodeFixes;

/// <summary>The AGB0001 fix that adds [Gate("&lt;method name&gt;", EstimatedUnits = 1)] to the enclosing method.</summary>
public sealed class AddGateCodeFixTests
{
    [Fact]
    public Task The_fix_adds_the_gate_and_the_AgentBill_using()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            namespace Shop;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient client, string question)
                    => client.{|AGB0001:GetResponseAsync|}(question);
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            namespace Shop;

            public class Support
            {
                [Gate("AnswerAsync", EstimatedUnits = 1)]
                public Task<ChatResponse> AnswerAsync(IChatClient client, string question)
                    => client.GetResponseAsync(question);
            }
            """,
            AddGateAttributeCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task The_fix_keeps_doc_comments_and_existing_attributes_and_reuses_an_existing_using()
        => Fix.VerifyAsync(
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                /// <summary>Answers.</summary>
                [Obsolete("use v2")]
                public async Task<string> AnswerAsync(IChatClient client)
                {
                    var response = await client.{|AGB0001:GetResponseAsync|}("hello");
                    return response.Text;
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                /// <summary>Answers.</summary>
                [Obsolete("use v2")]
                [Gate("AnswerAsync", EstimatedUnits = 1)]
                public async Task<string> AnswerAsync(IChatClient client)
                {
                    var response = await client.GetResponseAsync("hello");
                    return response.Text;
                }
            }
            """,
            AddGateAttributeCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task One_gate_fixes_every_call_in_the_method()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public async Task AnswerTwiceAsync(IChatClient client)
                {
                    await client.{|AGB0001:GetResponseAsync|}("first");
                    await client.{|AGB0001:GetResponseAsync|}("second");
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                [Gate("AnswerTwiceAsync", EstimatedUnits = 1)]
                public async Task AnswerTwiceAsync(IChatClient client)
                {
                    await client.GetResponseAsync("first");
                    await client.GetResponseAsync("second");
                }
            }
            """,
            AddGateAttributeCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task A_call_in_a_lambda_gets_the_gate_on_the_method_that_holds_the_lambda()
        => Fix.VerifyAsync(
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Func<string, Task<ChatResponse>> Answerer(IChatClient client)
                    => question => client.{|AGB0001:GetResponseAsync|}(question);
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill;
            using Microsoft.Extensions.AI;

            public class Support
            {
                [Gate("Answerer", EstimatedUnits = 1)]
                public Func<string, Task<ChatResponse>> Answerer(IChatClient client)
                    => question => client.GetResponseAsync(question);
            }
            """,
            AddGateAttributeCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task No_gate_fix_is_offered_in_a_constructor()
    {
        const string source = """
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Support(IChatClient client) => _ = client.{|AGB0001:GetResponseAsync|}("warm up");
            }
            """;
        return new Fix(source, source).RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task No_gate_fix_is_offered_in_top_level_statements()
    {
        const string source = """
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            await client.{|AGB0001:GetResponseAsync|}("hello");
            """;
        var test = new Fix(source, source);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Shapes the [Gate] generator rejects: offering the gate there would break the build.</summary>
    [Theory]
    [InlineData("public class Base<T> { protected Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public class Outer { private sealed class Inner { public Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); } }")]
    [InlineData("public static class Helpers { private static Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public interface IAsk { Task<ChatResponse> AskAsync(IChatClient client); } public sealed class Asker : IAsk { public Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public class Base { public virtual Task<ChatResponse> AskAsync(IChatClient client) => Task.FromResult(new ChatResponse()); } public sealed class Derived : Base { public override Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public struct Asker { public Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public class Asker { public async void Ask(IChatClient client) => await client.{|AGB0001:GetResponseAsync|}(\"hi\"); }")]
    [InlineData("public class Asker { public Task<ChatResponse> AskAsync(IChatClient client, [CustomerId] string a, [CustomerId] string b) => client.{|AGB0001:GetResponseAsync|}(a + b); }")]
    public Task No_gate_fix_is_offered_where_the_generator_would_reject_the_gate(string type)
    {
        var source = "using System.Threading.Tasks;\nusing AgentBill;\nusing Microsoft.Extensions.AI;\n\n" + type + "\n";
        return new Fix(source, source).RunAsync(TestContext.Current.CancellationToken);
    }
}
