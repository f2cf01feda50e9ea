using AgentBill.Ledger;
using AgentBill.Ledger.Wire;
using AgentBill.Server.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Ledger;

/// <summary>
/// Maps the ledger endpoints of the .NET client (/ledger/...): <see cref="IBudgetLedger"/> and
/// <see cref="IBudgetLedgerReports"/> of the server's store, one POST each, on the server's clock.
/// </summary>
internal static class LedgerEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metering = endpoints.MapGroup("/").RequireAuthorization(ApiKeyAuthentication.MeteringPolicy);
        var admin = endpoints.MapGroup("/").RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        var json = LedgerJson.Default;

        metering.MapPost(LedgerRoutes.Reserve, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.ReserveCommand, json.ReserveOutcome,
            (ledger, command, now, ct) => ledger.ReserveAsync(ServerClock.Rebase(command, now), ct)));
        metering.MapPost(LedgerRoutes.TopUp, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.TopUpCommand, json.ReserveOutcome,
            (ledger, command, now, ct) => ledger.TopUpAsync(ServerClock.Rebase(command, now), ct)));
        metering.MapPost(LedgerRoutes.Extend, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.ExtendCommand, json.WireFlag,
            async (ledger, command, now, ct) => new WireFlag(await ledger.ExtendAsync(ServerClock.Rebase(command, now), ct).ConfigureAwait(false))));
        metering.MapPost(LedgerRoutes.Charge, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.ChargeCommand, json.ChargeOutcome,
            (ledger, command, now, ct) => ledger.ChargeAsync(ServerClock.Rebase(command, now), ct)));
        metering.MapPost(LedgerRoutes.Release, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.ReleaseCommand, json.WireFlag,
            async (ledger, command, now, ct) => new WireFlag(await ledger.ReleaseAsync(ServerClock.Rebase(command, now), ct).ConfigureAwait(false))));
        metering.MapPost(LedgerRoutes.GetBudget, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireKey, json.WireBudget,
            async (ledger, request, _, ct) => new WireBudget(await ledger.GetBudgetAsync(request.Key, ct).ConfigureAwait(false))));
        metering.MapPost(LedgerRoutes.GetUsage, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireUsageRequest, json.LedgerUsage,
            (ledger, request, now, ct) => ledger.GetUsageAsync(request.Key, request.PeriodKey, now, ct)));
        metering.MapPost(LedgerRoutes.OpenHolds, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireHoldsRequest, json.IReadOnlyListOpenHold,
            (ledger, request, now, ct) => ledger.GetOpenHoldsAsync(request.CustomerId, now, ct)));
        metering.MapPost(LedgerRoutes.OpenHoldsPage, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireHoldsRequest, json.OpenHoldPage,
            (ledger, request, now, ct) => ledger.GetOpenHoldsPageAsync(request.CustomerId, request.Cursor, request.Limit, now, ct)));

        admin.MapPost(LedgerRoutes.SetBudget, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.Budget, json.WireFlag,
            async (ledger, budget, _, ct) =>
            {
                await ledger.SetBudgetAsync(budget, ct).ConfigureAwait(false);
                return new WireFlag(true);
            }));
        admin.MapPost(LedgerRoutes.RemoveBudget, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireKey, json.WireFlag,
            async (ledger, request, _, ct) => new WireFlag(await ledger.RemoveBudgetAsync(request.Key, ct).ConfigureAwait(false))));
        admin.MapPost(LedgerRoutes.ResetUsage, (HttpContext http, LedgerCalls calls) => calls.Run(http, json.WireUsageRequest, json.WireFlag,
            async (ledger, request, _, ct) =>
            {
                await ledger.ResetUsageAsync(request.Key, request.PeriodKey, ct).ConfigureAwait(false);
                return new WireFlag(true);
            }));
        admin.MapPost(LedgerRoutes.UsageReport, (HttpContext http, LedgerCalls calls) => calls.Report(http, json.WireReportRequest, json.UsageReportPage,
            (reports, request, ct) => reports.GetUsageReportAsync(request.Query ?? new UsageReportQuery(), request.Cursor, request.Limit, ct)));
        admin.MapPost(LedgerRoutes.Budgets, (HttpContext http, LedgerCalls calls) => calls.Report(http, json.WireReportRequest, json.BudgetPage,
            (reports, request, ct) => reports.GetBudgetsAsync(request.CustomerId, request.Cursor, request.Limit, ct)));
        admin.MapPost(LedgerRoutes.Refusals, (HttpContext http, LedgerCalls calls) => calls.Report(http, json.WireReportRequest, json.IReadOnlyListRefusalRecord,
            (reports, request, ct) => reports.GetRefusalsAsync(request.CustomerId, request.Limit, ct)));
        admin.MapPost(LedgerRoutes.Activity, (HttpContext http, LedgerCalls calls) => calls.Report(http, json.WireReportRequest, json.LedgerActivity,
            (reports, _, ct) => reports.GetActivityAsync(ct)));
        admin.MapPost(LedgerRoutes.ReleaseExpired, (HttpContext http, LedgerCalls calls) => calls.Report(http, json.WireReportRequest, json.WireCount,
            async (reports, request, ct) => new WireCount(await reports.ReleaseExpiredHoldsAsync(request.Limit, ct).ConfigureAwait(false))));
    }
}
