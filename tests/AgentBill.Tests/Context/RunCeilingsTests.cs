namespace AgentBill.Tests.Context;

/// <summary>The rules of a run's spending ceilings across nested contexts, on their own.</summary>
public sealed class RunCeilingsTests
{
    [Fact]
    public void Units_are_held_under_every_ceiling_of_the_chain()
    {
        using var outer = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));
        using var inner = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 100));

        Assert.Null(RunCeilings.Hold(inner, UsageMeter.Units, 8));

        Assert.Equal((2L, 92L), (outer.CeilingRemaining!.Value, inner.CeilingRemaining!.Value));
    }

    [Fact]
    public void A_hold_one_ceiling_refuses_is_held_under_none_and_names_the_refusing_context()
    {
        using var outer = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));
        using var inner = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 100));

        Assert.Same(outer, RunCeilings.Hold(inner, UsageMeter.Units, 11));

        Assert.Equal((10L, 100L), (outer.CeilingRemaining!.Value, inner.CeilingRemaining!.Value));
    }

    [Fact]
    public void Released_units_are_given_back_to_every_ceiling()
    {
        using var outer = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));
        using var inner = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 100));
        RunCeilings.Hold(inner, UsageMeter.Units, 8);

        RunCeilings.Release(inner, UsageMeter.Units, 8);

        Assert.Equal((10L, 100L), (outer.CeilingRemaining!.Value, inner.CeilingRemaining!.Value));
    }

    [Fact]
    public void A_ceiling_on_another_meter_does_not_apply()
    {
        using var context = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.MicroUsd, 10));

        Assert.False(RunCeilings.Apply(context, UsageMeter.Units));
        Assert.Null(RunCeilings.Hold(context, UsageMeter.Units, 1_000));
        Assert.Equal(10, context.CeilingRemaining);
    }

    [Fact]
    public void A_refusal_tells_what_the_ceiling_has_left()
    {
        using var context = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));
        RunCeilings.Hold(context, UsageMeter.Units, 7);

        var refusal = RunCeilings.Refusal(context, 5);

        Assert.False(refusal.Approved);
        Assert.Equal(RefusalReason.RunCeilingExceeded, refusal.Reason);
        Assert.Equal(3, refusal.RemainingUnits);
    }

    [Fact]
    public async Task A_lock_taken_on_a_context_by_its_user_never_blocks_its_ceiling()
    {
        using var context = AgentBillContext.Begin(ceiling: new SpendingCeiling(UsageMeter.Units, 10));

        Task<long?> reading;
        lock (context)
        {
            reading = Task.Run(() => RunCeilings.Hold(context, UsageMeter.Units, 4) is null ? context.CeilingRemaining : null);
            Assert.True(SpinWait.SpinUntil(() => reading.IsCompleted, TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(6, await reading);
    }
}
