namespace AgentBill;

/// <summary>What a budget counts. Every amount is an integer: money is never a floating-point number.</summary>
public enum UsageMeter
{
    /// <summary>Caller-defined units, such as runs or steps.</summary>
    Units = 0,

    /// <summary>Model tokens.</summary>
    Tokens = 1,

    /// <summary>Money in millionths of a US dollar.</summary>
    MicroUsd = 2,
}
