using System.Diagnostics;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>
/// Listens to AgentBill's and Microsoft.Extensions.AI's activities inside one test's own root activity, so the
/// activities of tests running at the same time are left out.
/// </summary>
internal sealed class TracedActivities : IDisposable
{
    public const string GenAISource = "Experimental.Microsoft.Extensions.AI";

    private const string TestSourceName = "AgentBill.Extensions.AI.Tests";

    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ActivityListener _listener;
    private readonly Activity _root;
    private readonly List<Activity> _stopped = [];

    public TracedActivities()
    {
        _listener = new ActivityListener
        {
            // By name: a source compared by reference may still be being created when the listener first asks.
            ShouldListenTo = source => source.Name is AgentBillDiagnostics.Name or GenAISource or TestSourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _root = TestSource.StartActivity("test") ?? throw new InvalidOperationException("No root activity.");
    }

    /// <summary>The activities of this test that have ended, named <paramref name="name"/>.</summary>
    public IReadOnlyList<Activity> Stopped(string name)
    {
        lock (_stopped)
        {
            return [.. _stopped.Where(a => a.TraceId == _root.TraceId && a.OperationName == name)];
        }
    }

    public void Dispose()
    {
        _root.Dispose();
        _listener.Dispose();
    }
}
