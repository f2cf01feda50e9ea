using System.ComponentModel;
using AgentBill;
using Microsoft.SemanticKernel;

namespace SemanticKernelSample;

/// <summary>The kernel's plugin: a free weather tool, and a flight search that calls a paid fare API.</summary>
public sealed class TravelDesk
{
    /// <summary>Searches the flights of a route; the fare API bills 0.1 US cent a search, so the kernel charges it.</summary>
    [KernelFunction("search_flights"), Description("Searches flights along a route of cities."), ToolCost(1_000)]
    public static string SearchFlights([Description("The cities, in order, separated by commas.")] string route)
        => $"flights {route.Replace(", ", " → ", StringComparison.Ordinal)}, from 180 USD a leg";

    /// <summary>Gets the weather forecast of a city.</summary>
    [KernelFunction("get_weather"), Description("Gets the weather forecast of a city.")]
    public static string GetWeather([Description("The city.")] string city) => $"{city}: sunny, {12 + (city[0] % 13)} °C";
}
