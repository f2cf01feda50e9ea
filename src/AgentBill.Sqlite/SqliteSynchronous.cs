namespace AgentBill.Sqlite;

/// <summary>How hard SQLite pushes a commit to the disk before the call returns (its <c>synchronous</c> setting, in WAL mode).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Every commit is flushed to the disk (<c>fsync</c> of the write-ahead log) before it is acknowledged: an
    /// acknowledged hold or charge survives a crash of the process and a power loss. The default.
    /// </summary>
    Full = 0,

    /// <summary>
    /// Commits reach the operating system before they are acknowledged and the disk at each checkpoint: an
    /// acknowledged commit survives a crash of the process (<c>kill -9</c>), but a power loss or an OS crash can lose
    /// the commits since the last checkpoint. The file stays consistent either way. Faster on real disks.
    /// </summary>
    Normal = 1,
}
