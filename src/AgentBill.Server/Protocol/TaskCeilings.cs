namespace AgentBill.Server.Protocol;

/// <summary>A task's ceiling is a lifetime budget of the task's scope for its customer, on one meter.</summary>
internal static class TaskCeilings
{
    private static readonly UsageMeter[] Meters = Enum.GetValues<UsageMeter>();

    /// <summary>The task's ceiling on whichever meter it is set, or <see langword="null"/> when the task is not open.</summary>
    public static async ValueTask<Budget?> FindAsync(IAgentBillAdmin admin, BudgetScope task, CancellationToken cancellationToken)
    {
        foreach (var meter in Meters)
        {
            if (await admin.GetBudgetAsync(task, meter, cancellationToken).ConfigureAwait(false) is { } ceiling)
            {
                return ceiling;
            }
        }

        return null;
    }

    /// <summary>The 422 answer for a task whose ceiling is on another meter than the request's.</summary>
    public static Microsoft.AspNetCore.Http.IResult UnitMismatch(Budget ceiling, UsageMeter requested)
        => ProtocolErrors.Error(
            Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity,
            "task_unit_mismatch",
            $"The task's ceiling is in '{ProtocolFields.Unit(ceiling.Key.Meter)}', the request in '{ProtocolFields.Unit(requested)}'.");
}
