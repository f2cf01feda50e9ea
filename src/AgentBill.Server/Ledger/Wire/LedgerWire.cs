// The ledger's wire format (/ledger/...), compiled into both the server that answers it and the .NET client that
// calls it (a linked file, never a copy), so the two cannot drift apart.
using System.Text.Json;
using System.Text.Json.Serialization;
using AgentBill.Ledger;

namespace AgentBill.Ledger.Wire;

/// <summary>The paths of the ledger endpoints, relative to the server's base address.</summary>
internal static class LedgerRoutes
{
    public const string Reserve = "ledger/reserve";
    public const string TopUp = "ledger/topup";
    public const string Extend = "ledger/extend";
    public const string Charge = "ledger/charge";
    public const string Release = "ledger/release";
    public const string SetBudget = "ledger/budgets/set";
    public const string GetBudget = "ledger/budgets/get";
    public const string RemoveBudget = "ledger/budgets/remove";
    public const string GetUsage = "ledger/usage/get";
    public const string ResetUsage = "ledger/usage/reset";
    public const string OpenHolds = "ledger/holds";
    public const string OpenHoldsPage = "ledger/holds/page";
    public const string UsageReport = "ledger/reports/usage";
    public const string Budgets = "ledger/reports/budgets";
    public const string Refusals = "ledger/reports/refusals";
    public const string Activity = "ledger/reports/activity";
    public const string ReleaseExpired = "ledger/reports/release-expired";
}

/// <summary>A budget key on the wire.</summary>
internal sealed record WireKey(BudgetKey Key);

/// <summary>A budget key and one period's name.</summary>
internal sealed record WireUsageRequest(BudgetKey Key, string PeriodKey, DateTimeOffset Now);

/// <summary>A customer's open holds.</summary>
internal sealed record WireHoldsRequest(string CustomerId, DateTimeOffset Now, string? Cursor = null, int Limit = 0);

/// <summary>One page of a report.</summary>
internal sealed record WireReportRequest(UsageReportQuery? Query, string? CustomerId, string? Cursor, int Limit);

/// <summary>A yes-or-no answer (a hold was open, a budget was removed).</summary>
internal sealed record WireFlag(bool Value);

/// <summary>A count (holds released).</summary>
internal sealed record WireCount(int Value);

/// <summary>A budget found, or not.</summary>
internal sealed record WireBudget(Budget? Budget);

/// <summary>
/// Why the server did not do a command: the kind of exception the ledger threw (<see cref="WireErrorKinds"/>), its
/// message and the argument at fault, so the client throws the same exception the local ledger would have.
/// </summary>
internal sealed record WireError(string Kind, string Message, string? ParamName = null, string? IdempotencyKey = null);

/// <summary>The values of <see cref="WireError.Kind"/>.</summary>
internal static class WireErrorKinds
{
    public const string Argument = "argument";
    public const string ArgumentNull = "argument-null";
    public const string ArgumentOutOfRange = "argument-out-of-range";
    public const string InvalidOperation = "invalid-operation";
    public const string NotSupported = "not-supported";
    public const string Unavailable = "unavailable";
    public const string IdempotencyConflict = "idempotency-conflict";
    public const string LedgerDataLost = "ledger-data-lost";
}

/// <summary>
/// A <see cref="BudgetScope"/> as <c>{"kind":"Agent","customerId":"c","name":"a"}</c>: the scope has no public
/// constructor, so it is rebuilt through the factory of its kind (which checks the ids again).
/// </summary>
internal sealed class BudgetScopeJsonConverter : JsonConverter<BudgetScope>
{
    public override BudgetScope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A scope is an object.");
        }

        string? kind = null, customerId = null, name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            var value = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            switch (property)
            {
                case "kind": kind = value; break;
                case "customerId": customerId = value; break;
                case "name": name = value; break;
                default: throw new JsonException($"A scope has no '{property}'.");
            }
        }

        return kind switch
        {
            nameof(BudgetScopeKind.Global) => BudgetScope.Global,
            nameof(BudgetScopeKind.Customer) => BudgetScope.Customer(customerId!),
            nameof(BudgetScopeKind.Agent) => BudgetScope.Agent(customerId!, name!),
            nameof(BudgetScopeKind.Task) => BudgetScope.Task(customerId!, name!),
            _ => throw new JsonException($"'{kind}' is not a scope kind."),
        };
    }

    public override void Write(Utf8JsonWriter writer, BudgetScope value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind.ToString());
        writer.WriteString("customerId", value.CustomerId);
        writer.WriteString("name", value.Name);
        writer.WriteEndObject();
    }
}

/// <summary>A <see cref="Budget"/> as <c>{"scope":{…},"meter":"Tokens","limit":100,"period":"Day"}</c>, through its checking constructor.</summary>
internal sealed class BudgetJsonConverter : JsonConverter<Budget>
{
    private static readonly BudgetScopeJsonConverter Scopes = new();

    public override Budget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A budget is an object.");
        }

        BudgetScope? scope = null;
        UsageMeter meter = default;
        BudgetPeriod period = default;
        long limit = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "scope": scope = Scopes.Read(ref reader, typeof(BudgetScope), options); break;
                case "meter": meter = Enum.Parse<UsageMeter>(reader.GetString()!); break;
                case "limit": limit = reader.GetInt64(); break;
                case "period": period = Enum.Parse<BudgetPeriod>(reader.GetString()!); break;
                default: throw new JsonException($"A budget has no '{property}'.");
            }
        }

        return new Budget(scope ?? throw new JsonException("A budget names its scope."), meter, limit, period);
    }

    public override void Write(Utf8JsonWriter writer, Budget value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WritePropertyName("scope");
        Scopes.Write(writer, value.Key.Scope, options);
        writer.WriteString("meter", value.Key.Meter.ToString());
        writer.WriteNumber("limit", value.Limit);
        writer.WriteString("period", value.Period.ToString());
        writer.WriteEndObject();
    }
}

/// <summary>The ledger's JSON, generated at compile time (the client is trimmable and AOT-safe).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(BudgetScopeJsonConverter), typeof(BudgetJsonConverter)])]
[JsonSerializable(typeof(ReserveCommand))]
[JsonSerializable(typeof(TopUpCommand))]
[JsonSerializable(typeof(ExtendCommand))]
[JsonSerializable(typeof(ChargeCommand))]
[JsonSerializable(typeof(ReleaseCommand))]
[JsonSerializable(typeof(ReserveOutcome))]
[JsonSerializable(typeof(ChargeOutcome))]
[JsonSerializable(typeof(Budget))]
[JsonSerializable(typeof(WireKey))]
[JsonSerializable(typeof(WireBudget))]
[JsonSerializable(typeof(WireUsageRequest))]
[JsonSerializable(typeof(WireHoldsRequest))]
[JsonSerializable(typeof(WireReportRequest))]
[JsonSerializable(typeof(WireFlag))]
[JsonSerializable(typeof(WireCount))]
[JsonSerializable(typeof(WireError))]
[JsonSerializable(typeof(LedgerUsage))]
[JsonSerializable(typeof(IReadOnlyList<OpenHold>))]
[JsonSerializable(typeof(OpenHoldPage))]
[JsonSerializable(typeof(UsageReportPage))]
[JsonSerializable(typeof(BudgetPage))]
[JsonSerializable(typeof(IReadOnlyList<RefusalRecord>))]
[JsonSerializable(typeof(LedgerActivity))]
internal sealed partial class LedgerJson : JsonSerializerContext;
