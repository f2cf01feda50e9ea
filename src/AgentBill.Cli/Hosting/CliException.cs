namespace AgentBill.Cli.Hosting;

/// <summary>An expected failure of a command: one line for the operator and the exit code it means.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    public CliException()
        : this(ExitCodes.Failure, "The command failed.")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Failure, message)
    {
    }

    public CliException(string message, Exception innerException)
        : this(ExitCodes.Failure, message, innerException)
    {
    }

    public int ExitCode { get; }

    /// <summary>Whether the command's usage follows the line (bad arguments); the "choose a store" line stands alone.</summary>
    public bool ShowUsage { get; init; } = true;
}
