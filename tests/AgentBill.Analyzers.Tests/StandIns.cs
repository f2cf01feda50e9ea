namespace AgentBill.Analyzers.Tests;

/// <summary>Types the analyzers match by name, declared here with their real metadata names.</summary>
internal static class StandIns
{
    public const string OpenAI = """
        namespace OpenAI.Chat
        {
            public class ChatClient
            {
                public string CompleteChat(string prompt) => prompt;
                public System.Threading.Tasks.Task<string> CompleteChatAsync(string prompt) => System.Threading.Tasks.Task.FromResult(prompt);
            }
        }
        """;

    public const string AgentBillChat = """
        namespace AgentBill.Extensions.AI
        {
            using Microsoft.Extensions.AI;

            public sealed class AgentBillChatClient : DelegatingChatClient
            {
                public AgentBillChatClient(IChatClient inner) : base(inner) { }
            }

            public sealed class AgentBillFunctionFilter : Microsoft.SemanticKernel.IFunctionInvocationFilter
            {
                public System.Threading.Tasks.Task OnFunctionInvocationAsync(Microsoft.SemanticKernel.FunctionInvocationContext context, System.Func<Microsoft.SemanticKernel.FunctionInvocationContext, System.Threading.Tasks.Task> next) => next(context);
            }

            public static class AgentBillChatClientBuilderExtensions
            {
                public static ChatClientBuilder UseAgentBill(this ChatClientBuilder builder) => builder.Use(inner => new AgentBillChatClient(inner));
            }
        }
        """;
}
