// A chat pipeline whose every model call is gated by AgentBill: preflight → hold → settle.
// Offline by default (a deterministic local model); with OPENAI_API_KEY set it calls OpenAI, or any
// OpenAI-compatible endpoint named by OPENAI_BASE_URL (model from OPENAI_MODEL, default gpt-4o-mini).
using System.ClientModel;
using System.ComponentModel;
using AgentBill;
using AgentBill.Extensions.AI;
using AgentBill.Pricing;
using ChatPipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;

var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") is { Length: > 0 } named ? named : "gpt-4o-mini";
var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
var baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
IChatClient provider = string.IsNullOrEmpty(apiKey)
    ? new OfflineChatClient(model)
    : new OpenAI.Chat.ChatClient(
        model,
        new ApiKeyCredential(apiKey),
        new OpenAIClientOptions { Endpoint = string.IsNullOrEmpty(baseUrl) ? null : new Uri(baseUrl) }).AsIChatClient();
Console.WriteLine(provider is OfflineChatClient
    ? $"Model: {model}, offline (set OPENAI_API_KEY to call a real endpoint)."
    : $"Model: {model} at {(string.IsNullOrEmpty(baseUrl) ? "api.openai.com" : baseUrl)}.");

var services = new ServiceCollection();
services.AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
services.AddAgentBill(options =>
{
    options.UpgradeUrl = new Uri("https://billing.example.com/upgrade");
    options.RequireCustomer = true; // a call that names no customer throws CustomerRequiredException, never charges "default"
});

// The recommended pipeline in its one working order: the context captured outermost (a stream read after its scope
// ended still charges the scope's customer), then the tool loop, then the gate inside it (every round-trip gated).
services.AddChatClient(provider)
    .UseAgentBillWithFunctionInvocation(
        configure: gate =>
        {
            gate.AgentId = "sample-assistant";
            gate.DefaultMaxOutputTokens = 512;
            gate.ApplyDefaultMaxOutputTokens = true;

            // A self-hosted model behind OPENAI_BASE_URL has no list price: charge it like a dear model rather than $0.
            gate.Pricing.FallbackPrice = new ModelPrice(inputPerMillion: 10_000_000, cachedInputPerMillion: 10_000_000, outputPerMillion: 30_000_000);
        },
        configureFunctionInvocation: invoker => invoker.MaximumIterationsPerRequest = 1_000);

await using var container = services.BuildServiceProvider();
var chat = container.GetRequiredService<IChatClient>();
var admin = container.GetRequiredService<IAgentBillAdmin>();

// Acme may spend half a US cent (5,000 micro-USD) this month.
await admin.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.MicroUsd, 5_000, BudgetPeriod.Month));

using (AgentBillContext.Begin(customerId: "acme", taskRef: "sample-run"))
{
    Console.WriteLine("\n1. One question");
    var answer = await chat.GetResponseAsync("In one sentence, why do AI agents need budgets?");
    Console.WriteLine($"   {answer.Text}");
    Console.WriteLine($"   charged {Charged(answer.AdditionalProperties)}");

    Console.WriteLine("\n2. Streaming");
    Console.Write("   ");
    var updates = new List<ChatResponseUpdate>();
    await foreach (var update in chat.GetStreamingResponseAsync("Name three ways to keep an agent's spending in check."))
    {
        Console.Write(update.Text);
        updates.Add(update);
    }

    Console.WriteLine($"\n   charged {Charged(updates.ToChatResponse().AdditionalProperties)}");

    Console.WriteLine("\n3. A tool call: two gated round-trips");
    var weather = await chat.GetResponseAsync(
        "What is the weather in Paris?",
        new ChatOptions { Tools = [AIFunctionFactory.Create(GetWeather, "get_weather")] });
    Console.WriteLine($"   {weather.Text}");

    Console.WriteLine("\n4. A runaway research loop, stopped by the budget");
    var searches = 0;
    var search = AIFunctionFactory.Create(
        ([Description("What to look for.")] string query) => $"Result {++searches} for '{query}': nothing conclusive, search again.",
        "search",
        "Searches the web.");
    try
    {
        var research = await chat.GetResponseAsync("Research agent budgets until you are sure.", new ChatOptions { Tools = [search], MaxOutputTokens = 200 });
        Console.WriteLine($"   The model stopped by itself after {searches} searches: {research.Text}");
    }
    catch (BudgetExhaustedException refused)
    {
        Console.WriteLine($"   Stopped after {searches} searches: {refused.Message}");
        Console.WriteLine($"   Raise the budget at {refused.Result?.UpgradeUrl}");
    }
}

var usage = await admin.GetUsageAsync(BudgetScope.Customer("acme"), UsageMeter.MicroUsd);
Console.WriteLine($"\nAcme this month: {usage.Used} of {usage.Limit} micro-USD used, {usage.Reserved} held.");
Console.WriteLine($"Prices: AgentBill table {ModelPriceTable.BuiltIn.Version} of {ModelPriceTable.BuiltIn.EffectiveDate:yyyy-MM-dd}.");

static string Charged(AdditionalPropertiesDictionary? properties)
    => properties is null || !properties.TryGetValue(AgentBillPropertyNames.ChargedUnits, out var units)
        ? "nothing"
        : $"{units} {properties[AgentBillPropertyNames.Meter]}{(properties[AgentBillPropertyNames.UsageEstimated] is true ? $" (estimated: the provider's usage was {properties[AgentBillPropertyNames.UsageIssue]})" : string.Empty)}";

[Description("Gets the current weather of a city.")]
static string GetWeather([Description("The city.")] string city) => city == "Paris" ? "sunny, 21 °C" : "unknown";
