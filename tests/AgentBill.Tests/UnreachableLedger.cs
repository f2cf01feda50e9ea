namespace AgentBill.Tests;

/// <summary>A store that cannot be reached for any call.</summary>
internal sealed class UnreachableLedger : DelegatingLedger
{
    protected override void BeforeCall() => throw new AgentBillUnavailableException("store down");
}
