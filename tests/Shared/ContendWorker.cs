using AgentBill;

/// <summary>
/// The <c>contend</c> mode of the stores' cross-process test workers, one for every store: every caller preflights
/// at once and the process prints <c>approved=N</c>; on the line <c>commit</c> it settles its holds, each with the
/// units <c>actual</c> gives for its index, and prints <c>committed=M</c>. Linked into each worker.
/// </summary>
internal static class ContendWorker
{
    public static async Task RunAsync(AgentBillClient bill, string customer, long estimate, int callers, Func<int, long> actual)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, callers).Select(async _ =>
        {
            await start.Task;
            return await bill.PreflightAsync("worker", estimate, customer);
        }).ToArray();
        start.SetResult();
        var approved = (await Task.WhenAll(attempts)).Where(r => r.Approved).ToList();
        Console.WriteLine($"approved={approved.Count}");

        // Holds stay held until every process has tried: the test says when to settle them.
        if (Console.ReadLine() == "commit")
        {
            var committed = 0L;
            foreach (var (hold, index) in approved.Select((hold, index) => (hold, index)))
            {
                var units = actual(index);
                await bill.RecordAsync(new RecordRequest("worker", units) { CustomerId = customer, ReservationId = hold.ReservationId });
                committed += units;
            }

            Console.WriteLine($"committed={committed}");
        }
    }
}
