// A Microsoft Agent Framework agent with two tools and a budget per run, offline: every model round-trip of the
// agent's tool loop is held before it is sent and settled with the usage the model reports, and a run that cannot
// pay for its next round-trip stops cleanly.
using System.ComponentModel;
using AgentBill;
using AgentBill.Agents.AI;
using AgentFramework;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

await using var bill = new AgentBillClient();

// Acme may spend one US cent (10,000 micro-USD) this month; each run of the agent at most 0.06 cent (600 micro-USD).
await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Month));

var agent = new TravelModel()
    .AsAIAgent(
        name: "travel-planner",
        instructions: "Plan trips. Use the tools for every city.",
        tools: [AIFunctionFactory.Create(GetWeather, "get_weather"), AIFunctionFactory.Create(GetExchangeRate, "get_exchange_rate")])
    .AsBuilder()
    .UseAgentBill(bill, run =>
    {
        run.CustomerIdSelector = (_, _, _) => "acme";
        run.RunCeiling = new SpendingCeiling(UsageMeter.MicroUsd, 600);
        run.Gate.DefaultMaxOutputTokens = 512;   // held for each round-trip: the most it may write
    })
    .Build();

Console.WriteLine("1. A trip to two cities: five round-trips, well inside the run's ceiling");
var trip = await agent.RunAsync("Paris, Tokyo");
Console.WriteLine($"   {trip.Text}");
Report(AgentRunUsage.From(trip.AdditionalProperties)!);

Console.WriteLine("\n2. A tour of ten cities: stopped when the run's ceiling cannot hold the next round-trip");
try
{
    var tour = await agent.RunAsync("Paris, Tokyo, Lima, Oslo, Cairo, Perth, Quito, Seoul, Dakar, Reno");
    Console.WriteLine($"   Not stopped: {tour.Text}");
}
catch (AgentRunRefusedException stopped)
{
    Console.WriteLine($"   {stopped.Message}");
    Report(stopped.Usage);
}

var usage = await bill.GetUsageAsync(BudgetScope.Customer("acme"), UsageMeter.MicroUsd);
Console.WriteLine($"\nAcme this month: {usage.Used} of {usage.Limit} micro-USD used, {usage.Reserved} held.");

static void Report(AgentRunUsage usage)
    => Console.WriteLine($"   run {usage.TaskRef}: {usage.ModelCalls} model calls, {usage.InputTokens} + {usage.OutputTokens} tokens, {usage.MicroUsd} micro-USD, {usage.Refusals} refused");

[Description("Gets the weather forecast of a city.")]
static string GetWeather([Description("The city.")] string city) => $"{city}: sunny, 21 °C";

[Description("Gets the exchange rate of the city's currency to the US dollar.")]
static string GetExchangeRate([Description("The city.")] string city) => $"{city}: 1 USD = {city.Length * 7 % 100 + 1} local";
