namespace AgentBill.Analyzers.Tests;

/// <summary>The using directives most test sources start with.</summary>
internal static class Usings
{
    public const string All = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentBill;
        using AgentBill.Extensions.AI;
        using Acme.Gating;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;

        """;
}
