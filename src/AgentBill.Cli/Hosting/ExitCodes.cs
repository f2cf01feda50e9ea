namespace AgentBill.Cli.Hosting;

/// <summary>What <c>agentbill</c> exits with; docs/cli.md lists the same table.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed: a defect, reported in one line.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments, or no store chosen: usage is printed and nothing was changed.</summary>
    public const int BadArguments = 2;

    /// <summary>The store could not be reached or did not answer: nothing is known to have changed.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>What the command names does not exist: no such budget, or no open hold with that id.</summary>
    public const int NotFound = 4;

    /// <summary>An input file (a price file) failed validation: nothing was applied.</summary>
    public const int InvalidFile = 5;

    /// <summary>The ledger knows its data was lost and refuses every call until <c>agentbill ledger ack-data-loss</c>.</summary>
    public const int DataLost = 6;

    /// <summary>A change that needs confirmation was not confirmed (<c>--yes</c> without a terminal): nothing was changed.</summary>
    public const int NotConfirmed = 7;
}
