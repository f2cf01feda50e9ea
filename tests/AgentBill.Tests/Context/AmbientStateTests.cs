namespace AgentBill.Tests.Context;

/// <summary>One ambient state: the context and the call in flight in it are captured and restored together.</summary>
public sealed class AmbientStateTests
{
    [Fact]
    public void A_context_begun_inside_a_call_keeps_the_call_and_ending_it_restores_the_state_before()
    {
        var call = new object();
        using var outer = AgentBillContext.Begin(customerId: "acme");
        using (AgentBillAmbient.EnterCall(call))
        {
            using (var inner = AgentBillContext.Begin(taskRef: "report-42"))
            {
                Assert.Same(call, AgentBillAmbient.Current.Call);
                Assert.Same(inner, AgentBillAmbient.Current.Context);
                Assert.Equal(("acme", "report-42"), (inner.CustomerId, inner.TaskRef));
            }

            Assert.Same(call, AgentBillAmbient.Current.Call);
            Assert.Same(outer, AgentBillContext.Current);
        }

        Assert.Null(AgentBillAmbient.Current.Call);
        Assert.Same(outer, AgentBillContext.Current);
    }

    [Fact]
    public async Task Every_step_of_a_stream_runs_in_the_state_captured_when_it_was_made_whatever_flow_reads_it()
    {
        AgentBillAmbient madeIn;
        using (AgentBillContext.Begin(customerId: "acme"))
        using (AgentBillAmbient.EnterCall(new object()))
        {
            madeIn = AgentBillAmbient.Current;
        }

        var observer = new RecordingObserver(madeIn);
        var seen = new List<string?>();
        await foreach (var customer in ContextRestoringAsyncEnumerable.Create(seen, static (_, _) => CustomersAsync(), observer))
        {
            seen.Add(customer);
            Assert.Null(AgentBillContext.Current);
        }

        Assert.Equal(["acme in a call", "acme in a call"], seen);
        Assert.Equal(2, observer.Items);
        Assert.Equal(new ContextRestoringStreamEnd(Opened: true, Completed: true, Error: null), observer.End);
    }

    private static async IAsyncEnumerable<string?> CustomersAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            await Task.Yield();
            yield return $"{AgentBillContext.Current?.CustomerId}{(AgentBillAmbient.Current.Call is null ? string.Empty : " in a call")}";
        }
    }

    private sealed class RecordingObserver(AgentBillAmbient ambient) : IContextRestoringObserver<string?>
    {
        public int Items { get; private set; }

        public ContextRestoringStreamEnd? End { get; private set; }

        public AgentBillAmbient Ambient => ambient;

        public ValueTask<bool> StartAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public void StepStarting()
        {
        }

        public void StepEnded()
        {
        }

        public ValueTask OnItemAsync(string? item, CancellationToken cancellationToken)
        {
            Items++;
            return ValueTask.CompletedTask;
        }

        public bool EndsStream(Exception error) => false;

        public ValueTask EndAsync(ContextRestoringStreamEnd end)
        {
            End = end;
            return ValueTask.CompletedTask;
        }

        public bool TryTakeTrailer(out string? item)
        {
            item = null;
            return false;
        }
    }
}
