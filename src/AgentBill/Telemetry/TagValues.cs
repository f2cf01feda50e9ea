namespace AgentBill.Telemetry;

/// <summary>Enum names as tag values, made once: <see cref="Enum.ToString()"/> allocates on every call.</summary>
internal static class TagValues
{
    private static readonly string[] Meters = Enum.GetNames<UsageMeter>();
    private static readonly string[] Reasons = Enum.GetNames<RefusalReason>();

    public static string Of(UsageMeter meter) => Meters[(int)meter];

    public static string Of(RefusalReason reason) => Reasons[(int)reason];
}
