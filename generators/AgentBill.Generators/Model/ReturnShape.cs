namespace AgentBill.Generators.Model;

/// <summary>How a gated method returns, which decides how its interceptor waits for the run to end.</summary>
internal enum ReturnShape
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
    AsyncEnumerable,
}
