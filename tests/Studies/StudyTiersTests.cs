using TinierHar.Data;
using TinierHar.Models;
using TinierHar.Studies;
using TinierHar.Tests.Cli;
using TinierHar.Training;

namespace TinierHar.Tests.Studies;

/// <summary>The committed study's five tiers: their sizes from the registry, membership, the CLI, and results/plan.csv.</summary>
public class StudyTiersTests
{
    [Fact]
    public void Tiers_have_the_sizes_the_registry_gives_and_a_job_belongs_to_the_first_tier_asking_for_it()
    {
        int uschad = DatasetRegistry.Get("uschad").FoldCount, hapt = DatasetRegistry.Get("hapt").FoldCount, utd = DatasetRegistry.Get("utdmhad").FoldCount;
        Assert.Equal((7, 10, 4), (uschad, hapt, utd));
        var sizes = StudyTiers.All.Select(t => t.Jobs().Count).ToList();
        Assert.Equal([3 * (uschad + hapt), (4 + 9) * uschad, (5 + 2) * uschad, 2 * 3 * (uschad + hapt), 3 * utd + (4 + 5 + 2) * hapt], sizes);
        // The sweep's default point (F=4, M=4, H=16) is TinierHAR itself: tier 1, not tier 2.
        Assert.Equal(1, StudyTiers.Of(new RunKey("uschad", ModelCatalog.TinierHar, ModelVariant.Full, "paper", 1, 0)));
        Assert.Equal(2, StudyTiers.Of(new RunKey("uschad", ModelCatalog.TinierHar, "full-F2-M2-H8", "paper", 1, 0)));
        Assert.Equal(5, StudyTiers.Of(new RunKey("hapt", ModelCatalog.DeepConvLstm, ModelVariant.NoLstm, "paper", 1, 9)));
        Assert.Null(StudyTiers.Of(new RunKey("uschad", ModelCatalog.TinierHar, ModelVariant.Full, "quick", 1, 0)));
        Assert.Equal("unknown tier 6 (expected one of: 1, 2, 3, 4, 5)", Assert.Throws<TinierHarException>(() => StudyTiers.Get(6)).Message);
    }

    [Fact]
    public void The_committed_plan_is_the_five_tiers()
    {
        var committed = StudyFolder.Open(Path.Combine(TestPaths.Repository, "results")).ReadPlan().Select(j => j.Key).ToHashSet();
        var tiers = StudyTiers.All.SelectMany(t => t.Jobs()).Select(j => j.Key).ToHashSet();
        Assert.True(committed.SetEquals(tiers), $"results/plan.csv has {committed.Count} jobs, the tiers {tiers.Count}");
    }

    [Fact]
    public void Plan_tiers_from_the_command_line()
    {
        using var dir = new TempDir("thtiers");
        var (code, output, err) = CliRunner.Run(["study", "plan", "--out", dir.Path, "--tiers", "1,3"]);
        Assert.True(code == 0, output + err);
        Assert.Contains("100 job(s) added, 0 already planned; 100 in the plan", output);
        (code, output, err) = CliRunner.Run(["study", "plan", "--out", dir.Path, "--tiers", "1", "--datasets", "uschad"]);
        Assert.Equal(2, code);
        Assert.Contains("give --tiers or --datasets, not both", err);
        (code, _, err) = CliRunner.Run(["study", "plan", "--out", dir.Path, "--tiers", "0"]);
        Assert.Equal(2, code);
        Assert.Contains("--tiers", err);
    }
}
