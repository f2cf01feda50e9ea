namespace AgentBill.InMemory;

internal readonly record struct CounterKey(BudgetKey Budget, string PeriodKey);
