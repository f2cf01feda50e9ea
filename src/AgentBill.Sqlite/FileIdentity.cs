using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite;

/// <summary>
/// Whether the file an open connection writes to is still the one at the ledger's path: SQLite's own check
/// (<c>SQLITE_FCNTL_HAS_MOVED</c>, one <c>stat</c> of the path compared with the open file's inode), so a file deleted,
/// renamed, or replaced by another under a running process is seen at the next operation. Where the native call is
/// not available (another SQLite provider), a missing file is still seen.
/// </summary>
internal static partial class FileIdentity
{
    private const int HasMovedOperation = 20;
    // The call goes to the SQLite that Microsoft.Data.Sqlite bundles; with another provider (SQLCipher, the OS's
    // SQLite) its handle belongs to another library, so only the missing file is checked.
    private static bool s_nativeUnavailable = !string.Equals(SafeNativeLibraryName(), "e_sqlite3", StringComparison.Ordinal);

    public static bool HasMoved(SqliteConnection connection, string path)
    {
        if (!s_nativeUnavailable)
        {
            try
            {
                var moved = 0;
                var rc = FileControl(connection.Handle!.DangerousGetHandle(), "main", HasMovedOperation, ref moved);
                if (rc == 0)
                {
                    return moved != 0;
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_nativeUnavailable = true;
            }
        }

        return !File.Exists(path);
    }

    private static string? SafeNativeLibraryName()
    {
        try
        {
            return SQLitePCL.raw.GetNativeLibraryName();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotImplementedException or NullReferenceException)
        {
            return null;
        }
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileControl(IntPtr db, string name, int operation, ref int value);
}
