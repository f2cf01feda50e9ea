namespace AgentBill.Generators;

/// <summary>The names of the generator's pipeline steps, for the incrementality tests.</summary>
internal static class TrackingNames
{
    public const string GatedMethods = nameof(GatedMethods);
    public const string Bodies = nameof(Bodies);
    public const string CallSites = nameof(CallSites);
    public const string Interceptors = nameof(Interceptors);
    public const string DelegateUses = nameof(DelegateUses);
}
