using TinierHar.Studies;
using TinierHar.Training;
using Xunit;

namespace TinierHar.Tests.Studies;

/// <summary>The progress line's ETA: measured epoch times from the closest measured group of jobs.
/// Job states and times are made up here (no training); the jobs themselves come from a real plan.</summary>
public class StudySummaryTests
{
    static readonly IReadOnlyList<StudyJob> Jobs =
        new StudyRequest(["uschad", "hapt"], ["tinierhar", "deepconvlstm"], Variants: VariantSet.All, Folds: [0]).Jobs();

    static StudyJob Job(string dataset, string model, string variant) =>
        Jobs.Single(j => j.Dataset == dataset && j.Spec.Model == model && j.Spec.RunVariant == variant);

    static JobStatus Done(StudyJob j, int epochs, double seconds) =>
        new(0, j, JobState.Done, new ResultRow(j.Key, 0.8, 0.7, 0.75, epochs, epochs - 15, seconds), null, null);

    static JobStatus Pending(StudyJob j) => new(0, j, JobState.Pending, null, null, null);

    [Fact]
    public void A_pending_job_takes_the_epoch_time_of_its_closest_measured_group()
    {
        var status = new List<JobStatus>
        {
            Done(Job("uschad", "tinierhar", "full"), epochs: 50, seconds: 500),        // 10 s/epoch
            Done(Job("uschad", "deepconvlstm", "full"), epochs: 40, seconds: 4000),    // 100 s/epoch
            Pending(Job("uschad", "tinierhar", "no-gru")),   // another variant, same dataset: 10 s × 50 epochs
            Pending(Job("hapt", "tinierhar", "full")),       // another dataset: the model's 10 s × 50 epochs
            Pending(Job("uschad", "deepconvlstm", "no-lstm")), // 100 s × 40 epochs
        };
        var summary = StudySummary.Of(status, workers: 2);
        Assert.Equal((2, 0, 3, 0), (summary.Done, summary.Running, summary.Pending, summary.Failed));
        Assert.Equal((500 + 500 + 4000) / 2.0, summary.Eta!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void A_running_job_counts_its_epochs_left_at_its_own_measured_rate()
    {
        var running = Job("uschad", "tinierhar", "full");
        var status = new List<JobStatus>
        {
            Done(Job("hapt", "tinierhar", "full"), epochs: 60, seconds: 300),                 // 5 s/epoch, 60 epochs expected
            new(1, running, JobState.Running, null, new JobProgress(20, 150, 8, "host", 1, DateTime.UtcNow), null),
        };
        // The running job's own group (uschad) is measured by its progress, 8 s/epoch, for the 40 epochs left.
        Assert.Equal(8 * 40, StudySummary.Of(status, workers: 1).Eta!.Value.TotalSeconds, 6);
        Assert.Contains("uschad tinierhar-full s1 f0 epoch 20/150", StudySummary.Of(status, 1).Line());
    }

    [Fact]
    public void Nothing_measured_means_no_eta()
    {
        var summary = StudySummary.Of([Pending(Job("uschad", "tinierhar", "full"))], workers: 1);
        Assert.Null(summary.Eta);
        Assert.EndsWith("ETA unknown until an epoch is measured", summary.Line());
    }
}
