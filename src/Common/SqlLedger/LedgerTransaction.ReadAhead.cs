using System.Data.Common;
using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>
/// Where a round trip costs more than a statement (a database across a network), what an operation on a customer
/// reads first is read in one batch right after the customer is locked: the housekeeping and expiry candidates, the
/// budgets of the call's scopes and the global one, their usage rows, the answers it may replay, the hold it names and
/// (for a reserve) the customer's hold count. Each is then answered from what was read, the hold ones only while no
/// hold changed in the transaction; anything else is read as it is needed, as without the batch.
/// </summary>
internal sealed partial class LedgerTransaction
{
    private readonly Dictionary<ScopeKey, Budget?> _budgets = [];
    private readonly Dictionary<(string Customer, string Key), (string Fingerprint, string Outcome)?> _answers = [];
    private (string Customer, string Id, HoldRow? Hold)? _hold;
    private (string Customer, long Count)? _holdCount;
    private bool _holdsChanged;

    /// <summary>
    /// <see cref="BeginAsync(string)"/>, with what the operation will read next read in the same round trip where the
    /// session batches reads.
    /// </summary>
    /// <param name="customer">The customer, locked first.</param>
    /// <param name="scopes">The call's scopes, whose budgets and usage rows are read.</param>
    /// <param name="periods">The periods whose usage rows are read.</param>
    /// <param name="answerKeys">The remembered answers the operation may replay.</param>
    /// <param name="holdId">The hold the operation names, or <see langword="null"/>.</param>
    /// <param name="countsHolds">Whether the operation reads the customer's count of open holds (a reserve does, to apply the cap).</param>
    public async ValueTask BeginAsync(string customer, CallScopes scopes, PeriodKeys periods, string?[] answerKeys, string? holdId, bool countsHolds)
    {
        if (!Session.BatchesReads)
        {
            await BeginAsync(customer).ConfigureAwait(false);
            return;
        }

        Touch(customer);
        ForgetAnswers();
        var loading = PrepareLoad(scopes, periods);
        var queries = new List<(string Sql, object?[] Values)>(8)
        {
            (Session.Dialect.DueCustomers, [Now]),
            (ExpiredHoldsSql, [customer, Now]),
            ("SELECT kind, name, limit_units, period FROM agentbill_budgets WHERE meter = $1 AND ((customer = $2 AND ((kind = 0 AND name = '') OR (kind = 1 AND name = $3) OR (kind = 2 AND name = $4))) OR (customer = '' AND kind = 3 AND name = ''))",
                [(int)scopes.Meter, customer, scopes.AgentId, scopes.TaskRef ?? string.Empty]),
            UsageQuery(scopes, periods),
        };
        if (countsHolds)
        {
            queries.Add(("SELECT holds FROM agentbill_customers WHERE customer = $1", [customer]));
        }

        foreach (var key in answerKeys)
        {
            if (key is not null)
            {
                queries.Add(("SELECT fingerprint, outcome FROM agentbill_answers WHERE customer = $1 AND key = $2 AND forget_at > $3", [customer, key, Now]));
            }
        }

        if (holdId is not null)
        {
            queries.Add((HoldColumns + " WHERE customer = $1 AND id = $2", [customer, holdId]));
        }

        List<(string Customer, long LastActivity, long Holds)>? due;
        List<HoldRow>? expired;
        var reader = await Session.QueryBatchAsync(queries).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            due = await ReadDueAsync(reader).ConfigureAwait(false);
            await reader.NextResultAsync().ConfigureAwait(false);
            expired = await ReadHoldsAsync(reader, customer).ConfigureAwait(false);
            await reader.NextResultAsync().ConfigureAwait(false);
            await AbsorbBudgetsAsync(reader, scopes).ConfigureAwait(false);
            await reader.NextResultAsync().ConfigureAwait(false);
            await AbsorbUsageAsync(reader, scopes).ConfigureAwait(false);
            MarkLoaded(loading);
            if (countsHolds)
            {
                await reader.NextResultAsync().ConfigureAwait(false);
                _holdCount = (customer, await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt64(0) : 0);
            }

            foreach (var key in answerKeys)
            {
                if (key is not null)
                {
                    await reader.NextResultAsync().ConfigureAwait(false);
                    _answers[(customer, key)] = await reader.ReadAsync().ConfigureAwait(false) ? (reader.GetString(0), reader.GetString(1)) : null;
                }
            }

            if (holdId is not null)
            {
                await reader.NextResultAsync().ConfigureAwait(false);
                _hold = (customer, holdId, await reader.ReadAsync().ConfigureAwait(false) ? HoldRow.Read(reader, customer) : null);
            }
        }

        await CleanAsync(due).ConfigureAwait(false);
        await ReturnAllAsync(expired).ConfigureAwait(false);
    }

    /// <summary>Keeps the budgets read for a call's scopes and the global scope, and that the others have none.</summary>
    private async ValueTask AbsorbBudgetsAsync(DbDataReader reader, CallScopes scopes)
    {
        var global = ScopeKey.Global(scopes.Meter);
        _budgets[ScopeKey.Of(scopes.Customer)] = null;
        _budgets[ScopeKey.Of(scopes.Agent)] = null;
        if (scopes.Task is { } task)
        {
            _budgets[ScopeKey.Of(task)] = null;
        }

        _budgets[global] = null;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var (limit, period) = (reader.GetInt64(2), (BudgetPeriod)reader.GetInt32(3));
            var key = (BudgetScopeKind)reader.GetInt32(0) switch
            {
                BudgetScopeKind.Customer => scopes.Customer,
                BudgetScopeKind.Agent => scopes.Agent,
                BudgetScopeKind.Task when scopes.Task is { } taskKey => taskKey,
                BudgetScopeKind.Global => new BudgetKey(BudgetScope.Global, scopes.Meter),
                _ => (BudgetKey?)null,
            };
            if (key is { } known)
            {
                _budgets[ScopeKey.Of(known)] = new Budget(known.Scope, known.Meter, limit, period);
            }
        }
    }

    /// <summary>The budgets of a call's scopes as read ahead, or <see langword="null"/> when they were not.</summary>
    private (Budget? Task, Budget? Agent, Budget? Customer)? KnownBudgets(in CallScopes scopes)
    {
        if (!_budgets.TryGetValue(ScopeKey.Of(scopes.Customer), out var customer) || !_budgets.TryGetValue(ScopeKey.Of(scopes.Agent), out var agent))
        {
            return null;
        }

        Budget? task = null;
        if (scopes.Task is { } taskKey && !_budgets.TryGetValue(ScopeKey.Of(taskKey), out task))
        {
            return null;
        }

        return (task, agent, customer);
    }

    /// <summary>The named hold as read ahead (open, past its expiry, or absent), while no hold changed since.</summary>
    private bool KnownHold(string customer, string id, out HoldRow? hold)
    {
        if (!_holdsChanged && _hold is { } known && known.Customer == customer && known.Id == id)
        {
            hold = known.Hold;
            return true;
        }

        hold = null;
        return false;
    }

    /// <summary>The customer's count of open holds as read ahead, while no hold changed since.</summary>
    private long? KnownHoldCount(string customer)
        => !_holdsChanged && _holdCount is { } known && known.Customer == customer ? known.Count : null;
}
