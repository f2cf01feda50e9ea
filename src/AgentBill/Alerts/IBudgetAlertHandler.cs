namespace AgentBill;

/// <summary>Receives budget alerts off the hot path. Register any number with dependency injection.</summary>
public interface IBudgetAlertHandler
{
    /// <summary>Handles one alert. An exception is logged and counted; it never changes the accounting.</summary>
    /// <param name="alert">The threshold crossed.</param>
    /// <param name="cancellationToken">Signalled when the client shuts down.</param>
    ValueTask OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken);
}
