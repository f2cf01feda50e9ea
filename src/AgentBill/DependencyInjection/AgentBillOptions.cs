namespace AgentBill;

/// <summary>Settings of an <see cref="AgentBillClient"/>. Validated when the client is created.</summary>
public sealed class AgentBillOptions
{
    /// <summary>
    /// Gets the client-wide per-call ceiling of each meter: a call estimated above its meter's ceiling is refused
    /// without a store round trip. A gate's or a call's ceiling can only be tighter. A meter without an entry has none.
    /// </summary>
    public IDictionary<UsageMeter, long> Ceilings { get; } = new Dictionary<UsageMeter, long>();

    /// <summary>
    /// Gets or sets the client-wide per-call ceiling of <see cref="UsageMeter.Units"/>, the meter <c>[Gate]</c> counts
    /// by default: shorthand for <c>Ceilings[UsageMeter.Units]</c>. It does not limit token or money calls (such as
    /// the chat gate's micro-USD): set <see cref="Ceilings"/> for those.
    /// </summary>
    public long? Ceiling
    {
        get => Ceilings.TryGetValue(UsageMeter.Units, out var ceiling) ? ceiling : null;
        set
        {
            if (value is { } ceiling)
            {
                Ceilings[UsageMeter.Units] = ceiling;
            }
            else
            {
                Ceilings.Remove(UsageMeter.Units);
            }
        }
    }

    /// <summary>Gets or sets the customer charged when a call names none. Defaults to <c>default</c>.</summary>
    public string DefaultCustomerId { get; set; } = "default";

    /// <summary>
    /// Gets or sets whether a call must name its customer. When <see langword="true"/>, a preflight, reservation,
    /// record, top-up, extension or release whose customer comes from nowhere (not named on the call, no
    /// <see cref="AgentBillContext"/> naming one, no gate's customer selector choosing one) throws
    /// <see cref="CustomerRequiredException"/> before the store is touched, instead of charging
    /// <see cref="DefaultCustomerId"/>. Defaults to <see langword="false"/>: a single-tenant app pays from the default
    /// customer. Turn it on in a multi-tenant service, where the default customer is money on the wrong account.
    /// Reads (usage, open holds) still default to <see cref="DefaultCustomerId"/>.
    /// </summary>
    public bool RequireCustomer { get; set; }

    /// <summary>
    /// Gets the budget, per meter, of every customer that has none of its own. It is read at each call and
    /// never written to the store, so clients with different defaults never overwrite a customer's budget.
    /// </summary>
    public IDictionary<UsageMeter, BudgetLimit> DefaultCustomerBudgets { get; } = new Dictionary<UsageMeter, BudgetLimit>();

    /// <summary>Gets or sets how long an unsettled hold lives before its units come back. Defaults to five minutes.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets where a refused customer can raise their budget; returned with every refusal.</summary>
    public Uri? UpgradeUrl { get; set; }

    /// <summary>Gets or sets what a preflight does when the store cannot be reached. Defaults to <see cref="AgentBillFailureMode.FailClosed"/>.</summary>
    public AgentBillFailureMode FailureMode { get; set; } = AgentBillFailureMode.FailClosed;

    /// <summary>Gets or sets how long the client waits for the store before it counts as unreachable. Defaults to five seconds.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the usage percentages that raise a <see cref="BudgetAlert"/>, once per budget per period. Defaults to 80, 90 and 100.</summary>
    public IList<int> AlertThresholds { get; set; } = [80, 90, 100];

    /// <summary>Gets or sets a handler for alerts, called off the hot path; it cannot change the accounting.</summary>
    public Func<BudgetAlert, CancellationToken, ValueTask>? OnBudgetAlert { get; set; }

    /// <summary>Gets or sets the zone whose midnight starts calendar days, weeks and months. Defaults to UTC.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Gets or sets how long a caller's idempotency keys are remembered. Defaults to 24 hours. Keys the client
    /// makes itself, and settled holds, are remembered for twice the longest a record can spend retrying
    /// (<see cref="StoreTimeout"/>, <see cref="RecordAttempts"/>, <see cref="RecordRetryDelay"/>): about 31
    /// seconds by default, so an embedded store's memory follows the call rate, not a day of history.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how many times a record is tried when the store cannot be reached. Defaults to 3.</summary>
    public int RecordAttempts { get; set; } = 3;

    /// <summary>Gets or sets the wait before the first retry of a record; it doubles with each retry. Defaults to 200 ms.</summary>
    public TimeSpan RecordRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
