using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>A plugin with one tool, which counts its calls; and one with a cost.</summary>
public sealed class Weather
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [KernelFunction, Description("The weather in a city.")]
    public string Today(string city)
    {
        Interlocked.Increment(ref _calls);
        return $"Sunny in {city}.";
    }
}

/// <summary>A plugin whose tool costs 500 micro-USD a call (a paid search API, say).</summary>
public sealed class PaidSearch
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    [KernelFunction, Description("Searches the web."), ToolCost(500)]
    public string Search(string city)
    {
        Interlocked.Increment(ref _calls);
        return $"Found {city}.";
    }
}
