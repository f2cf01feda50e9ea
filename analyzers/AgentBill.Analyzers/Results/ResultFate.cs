namespace AgentBill.Analyzers;

/// <summary>What becomes of a value a call returns, as far as the method that makes the call shows.</summary>
internal enum ResultFate
{
    /// <summary>It reaches the call or read that settles or checks it.</summary>
    Handled,

    /// <summary>It leaves the method's view (returned, passed on, stored in a field): someone else may handle it.</summary>
    Escapes,

    /// <summary>It is discarded, or only read in ways that neither settle nor check it.</summary>
    Dropped,
}
