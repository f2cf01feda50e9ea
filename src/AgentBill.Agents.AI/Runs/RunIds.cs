using System.Globalization;
using System.Security.Cryptography;

namespace AgentBill.Agents.AI;

/// <summary>Fresh task refs for runs that name none: unguessable, so two runs never share a task by accident.</summary>
internal static class RunIds
{
    public static string Next() => "run-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLower(CultureInfo.InvariantCulture);
}
