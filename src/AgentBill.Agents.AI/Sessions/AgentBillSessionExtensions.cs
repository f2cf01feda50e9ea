using Microsoft.Agents.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// The AgentBill state an <see cref="AgentSession"/> keeps in its <see cref="AgentSession.StateBag"/>, so it is
/// serialized with the session and a conversation resumed in another process pays and counts the same.
/// </summary>
public static class AgentBillSessionExtensions
{
    /// <summary>Names the customer whose budget pays for every run of the session that names none itself.</summary>
    /// <param name="session">The session.</param>
    /// <param name="customerId">The customer.</param>
    /// <returns>The <paramref name="session"/>.</returns>
    /// <exception cref="ArgumentException">The id is empty. (An id AgentBill cannot use, too long or with a control character, is refused by the run.)</exception>
    public static AgentSession SetAgentBillCustomer(this AgentSession session, string customerId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        session.StateBag.SetValue(AgentBillAgentPropertyNames.SessionCustomerId, customerId);
        return session;
    }

    /// <summary>Gets the customer the session names, or <see langword="null"/>.</summary>
    /// <param name="session">The session.</param>
    public static string? GetAgentBillCustomer(this AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.StateBag.TryGetValue<string>(AgentBillAgentPropertyNames.SessionCustomerId, out var id) ? id : null;
    }

    /// <summary>Gets the task the session's runs are charged to, or <see langword="null"/> before its first run.</summary>
    /// <param name="session">The session.</param>
    public static string? GetAgentBillTaskRef(this AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.StateBag.TryGetValue<string>(AgentBillAgentPropertyNames.SessionTaskRef, out var id) ? id : null;
    }

    /// <summary>The session's task, made (and kept in the session) on its first run.</summary>
    internal static string TaskRefOrNew(this AgentSession session)
    {
        if (session.GetAgentBillTaskRef() is { } existing)
        {
            return existing;
        }

        var made = RunIds.Next();
        session.StateBag.SetValue(AgentBillAgentPropertyNames.SessionTaskRef, made);
        return made;
    }
}
