namespace AgentBill.Generators.Tests;

/// <summary>Small C# files around the member or call a test is about.</summary>
internal static class Sources
{
    public static string Agent(string members) => $$"""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentBill;

        namespace App;

        public sealed class Agent
        {
            {{members}}
        }
        """;

    public static string Program(string statements) => $$"""
        using System.Threading.Tasks;
        using AgentBill;

        namespace App;

        public static class Program
        {
            public static async Task Main(Agent agent)
            {
                {{statements}}
            }
        }
        """;
}
