namespace AgentBill.SemanticKernel.Tests;

internal static class Usage
{
    public static async Task<long> UsedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.MicroUsd)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Used;

    public static async Task<long> ReservedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.MicroUsd)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Reserved;
}
