// A Semantic Kernel kernel with a travel plugin and automatic tool calls, offline: every model round-trip of the
// kernel's tool loop is held before it is sent and settled with the usage the model reports, the paid tool is
// charged its declared cost, and a loop that cannot pay for its next round-trip is ended with the reason.
using AgentBill;
using AgentBill.Extensions.AI;
using AgentBill.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using SemanticKernelSample;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

var builder = Kernel.CreateBuilder();
builder.Services.AddAgentBill();                            // IAgentBill and IAgentBillAdmin, on the in-memory store
builder.Services.AddChatClient(new TravelDeskModel())
    .UseKernelFunctionInvocation()                          // the kernel's tool loop ...
    .UseAgentBill();                                        // ... with the gate inside it: one hold per round-trip
builder.AddAgentBill();                                     // the filters: who pays, tool costs, the loop's end
builder.Plugins.AddFromType<TravelDesk>();
var kernel = builder.Build();

// Acme may spend one US cent (10,000 micro-USD) this month, Initech 0.15 cent (1,500 micro-USD).
var admin = kernel.Services.GetRequiredService<IAgentBillAdmin>();
await admin.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Month));
await admin.SetBudgetAsync(new Budget(BudgetScope.Customer("initech"), UsageMeter.MicroUsd, 1_500, BudgetPeriod.Month));

var plan = kernel.CreateFunctionFromPrompt(
    "Plan a trip to {{$cities}}.",
    new PromptExecutionSettings
    {
        FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
        ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 400 },   // held for each round-trip: the most it may write
    });

Console.WriteLine("1. Acme plans a trip to two cities: a flight search and four round-trips, inside the budget");
await PlanAsync("acme", "trip-1", "Paris, Tokyo");

Console.WriteLine("\n2. Initech plans a tour of eight cities: the loop ends when the budget cannot hold its next round-trip");
await PlanAsync("initech", "tour-1", "Paris, Tokyo, Lima, Oslo, Cairo, Perth, Quito, Seoul");

async Task PlanAsync(string customerId, string taskRef, string cities)
{
    // The arguments name who pays; a context around the run adds up what it charged.
    using var run = AgentBillContext.Begin();
    var arguments = new KernelArguments
    {
        ["cities"] = cities,
        [AgentBillPropertyNames.CustomerId] = customerId,
        [AgentBillPropertyNames.TaskRef] = taskRef,
    };
    try
    {
        var result = await kernel.InvokeAsync(plan, arguments);
        Console.WriteLine(Stopped(result) is { } stop ? $"   Stopped at {stop.Call.Name}({string.Join(", ", stop.Call.Arguments?.Values ?? [])}): {stop.Reason}" : $"   {result}");
    }
    catch (AgentBillRefusedException refused)
    {
        // A round-trip the budget refused although the loop's check let it start (other calls in flight, say).
        Console.WriteLine($"   Refused: {refused.Message}");
    }

    var usage = run.Usage;
    Console.WriteLine($"   run {taskRef}: {usage.ModelCalls} round-trips, {usage.InputTokens} + {usage.OutputTokens} tokens, {usage.MicroUsd} micro-USD charged");

    // The ledger: round-trips are charged by the chat gate (agent "chat"), tool costs by the kernel's filter (agent "kernel").
    var total = await admin.GetUsageAsync(BudgetScope.Customer(customerId), UsageMeter.MicroUsd);
    var roundTrips = await admin.GetUsageAsync(BudgetScope.Agent(customerId, "chat"), UsageMeter.MicroUsd);
    var tools = await admin.GetUsageAsync(BudgetScope.Agent(customerId, "kernel"), UsageMeter.MicroUsd);
    Console.WriteLine($"   {customerId}'s ledger: {roundTrips.Used} round-trips + {tools.Used} tools = {total.Used} of {total.Limit} micro-USD, {total.Reserved} held");
}

// A loop the filters ended finishes on the tool call they answered in its place, without running it: the answer says why.
static (FunctionCallContent Call, string? Reason)? Stopped(FunctionResult result)
{
    var messages = result.GetValue<ChatResponse>()?.Messages ?? [];
    if (messages.Count == 0 || messages[^1].Contents.OfType<FunctionResultContent>().LastOrDefault() is not { } answer)
    {
        return null;
    }

    var call = messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single(c => c.CallId == answer.CallId);
    return (call, answer.Result?.ToString());
}
