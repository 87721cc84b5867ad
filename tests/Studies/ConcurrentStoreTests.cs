using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Tests.Studies;

/// <summary>The run store and the job claims under concurrent writers (threads with their own store objects, so only the
/// file lock keeps them apart), and the retry-then-fail rule of claims. No training: mechanics only.</summary>
public class ConcurrentStoreTests
{
    static ResultRow Row(int writer, int i, double f1 = 0.5) =>
        new(new RunKey("uschad", "tinierhar", $"w{writer}", "paper", 1, i), 0.9, f1, 0.8, 10, 5, 1.5);

    [Fact]
    public void Many_concurrent_writers_neither_lose_nor_duplicate_a_row()
    {
        using var dir = new TempDir("thstore");
        const int writers = 12, rowsEach = 25;
        using var start = new Barrier(writers);
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var store = new RunStore(dir.Path); // its own object: only the lock file serialises
            start.SignalAndWait();
            for (int i = 0; i < rowsEach; i++)
            {
                store.Record(Row(w, i));
                store.Record(Row(w % 3, 1000, f1: w)); // three keys everyone replaces: one row each at the end
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var rows = new RunStore(dir.Path).ReadResults();
        Assert.Equal(writers * rowsEach + 3, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
        for (int w = 0; w < writers; w++)
            Assert.Equal(Enumerable.Range(0, rowsEach), rows.Where(r => r.Key.Variant == $"w{w}" && r.Key.Fold < 1000).Select(r => r.Key.Fold).Order());
        Assert.Equal(3, rows.Count(r => r.Key.Fold == 1000));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_claimed_job_is_not_claimed_twice_and_is_free_again_after_release()
    {
        using var dir = new TempDir("thstudy");
        var folder = new StudyFolder(dir.Path);
        folder.AddJobs(new StudyRequest(["uschad"], ["tinierhar"], Folds: [0, 1]).Jobs());
        var job = folder.ReadPlan()[0];
        using (var claim = folder.TryClaim(job))
        {
            Assert.NotNull(claim);
            Assert.Null(new StudyFolder(dir.Path).TryClaim(job));
            Assert.Equal([JobState.Running, JobState.Pending], folder.Status().Select(s => s.State));
            claim!.Abandon(null); // stopped on request: not an attempt
        }
        Assert.Equal([JobState.Pending, JobState.Pending], folder.Status().Select(s => s.State));
        using var again = folder.TryClaim(job);
        Assert.Equal(1, again!.Attempt);
    }

    [Fact]
    public void A_job_that_fails_twice_is_marked_failed_with_its_reason()
    {
        using var dir = new TempDir("thstudy");
        var folder = new StudyFolder(dir.Path);
        folder.AddJobs(new StudyRequest(["uschad"], ["tinierhar"], Folds: [0]).Jobs());
        var job = folder.ReadPlan()[0];
        using (var first = folder.TryClaim(job)) first!.Abandon("ExternalException: Expected false to be true");
        var retry = folder.Status().Single();
        Assert.Equal((JobState.Pending, "attempt 1: ExternalException: Expected false to be true"), (retry.State, retry.Failure));
        using (var second = folder.TryClaim(job))
        {
            Assert.Equal(2, second!.Attempt);
            // The process dies here (no reason written): the claim is released by the OS when the lock file closes.
        }
        Assert.Null(folder.TryClaim(job)); // third claim: recorded as failed instead
        var failed = folder.Status().Single();
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Contains("marked failed after 2 attempts; last: attempt 1: ExternalException", failed.Failure);
        var row = Assert.Single(folder.Store.ReadResults());
        Assert.Equal((StudyFolder.Failed, true), (row.Status, double.IsNaN(row.MacroF1)));
        Assert.Empty(RunStore.Summarize(folder.Store.ReadResults()));
        Assert.Equal("0 done, 0 running, 0 pending, 1 failed", StudySummary.Of(folder.Status(), 1).Counts);
    }

    [Fact]
    public void An_attempt_that_checkpointed_an_epoch_does_not_count_against_the_job()
    {
        using var dir = new TempDir("thstudy");
        var folder = new StudyFolder(dir.Path);
        folder.AddJobs(new StudyRequest(["uschad"], ["deepconvlstm"], Folds: [0]).Jobs());
        var job = folder.ReadPlan()[0];
        for (int session = 0; session < 3; session++)
        {
            using var claim = folder.TryClaim(job);
            Assert.Equal(1, claim!.Attempt);
            // An epoch ends (the trainer writes last.ckpt), then the process is killed: no reason written.
            // (Times set apart explicitly: the claim 10 s ago, the checkpoint 5 s ago.)
            var checkpoint = Path.Combine(claim.RunDir, Trainer.LastFile);
            File.WriteAllText(checkpoint, "state");
            File.SetLastWriteTimeUtc(Path.Combine(claim.RunDir, StudyFolder.AttemptsFile), DateTime.UtcNow.AddSeconds(-10));
            File.SetLastWriteTimeUtc(checkpoint, DateTime.UtcNow.AddSeconds(-5));
        }
        using (var stuck = folder.TryClaim(job)) Assert.Equal(1, stuck!.Attempt);  // ends without a new epoch
        using (var again = folder.TryClaim(job)) Assert.Equal(2, again!.Attempt);  // so this one is the retry
        Assert.Null(folder.TryClaim(job));
        Assert.Equal(JobState.Failed, folder.Status().Single().State);
    }
}
