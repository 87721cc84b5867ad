using TinierHar.Analysis;
using TinierHar.Models;
using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Tests.Analysis;

/// <summary>The study view on a synthetic results folder (mechanics only; rows made up, costs from the counter).</summary>
public class StudyResultsTests
{
    static ResultRow Row(string model, string variant, int fold, double f1, int seed = 1) =>
        new(new RunKey("uschad", model, variant, "paper", seed, fold), 0.9, f1, 0.8, 10, 5, 1.0);

    static StudyResults Study(TempDir dir, params ResultRow[] rows)
    {
        var store = new RunStore(dir.Path);
        foreach (var r in rows) store.Record(r);
        return StudyResults.Open(dir.Path);
    }

    [Fact]
    public void Claims_pair_runs_by_seed_and_fold_with_a_student_t_interval()
    {
        using var dir = new TempDir("thresults");
        var study = Study(dir,
            Row("tinierhar", "full", 0, 0.8), Row("tinierhar", "full", 1, 0.9), Row("tinierhar", "full", 2, 0.7),
            Row("tinierhar", "full", 3, 0.5), // no TinyHAR partner: left out of the pairs
            Row("tinyhar", "full", 0, 0.7), Row("tinyhar", "full", 1, 0.85), Row("tinyhar", "full", 2, 0.72),
            Row("tinyhar", "full", 2, 0.1, seed: 2), // other seed: no partner
            Row("deepconvlstm", "full", 0, 0.6) with { Status = "failed" });
        var claim = Assert.Single(study.Claims());
        Assert.Equal(("uschad", "TinierHAR", "TinyHAR", 3, 2), (claim.Dataset, claim.Config, claim.Against, claim.Pairs, claim.Wins));
        Assert.Equal(0.04333333333333337, claim.MeanDelta, 12);
        Assert.Equal(-0.1064033776722482, claim.Low, 9); // mean ± t(0.975, 2) · s / √3
        Assert.Equal(0.19307004433891492, claim.High, 9);
        Assert.False(claim.Significant);

        var scores = study.Scores();
        Assert.Equal(["TinierHAR", "TinyHAR"], scores.Select(s => s.Model));
        Assert.Equal((4, 1, 1, "2"), (scores[0].Folds, scores[1].Seeds, scores[1].NotPooled, scores[1].UnfinishedSeeds)); // seed 2 has 1 of 3 folds
        Assert.Equal(0.7566666666666667, scores[1].MacroF1, 12); // seed 1's three folds only
        Assert.Equal(0.725, scores[0].MacroF1, 12);
        var cost = CostTables.Count(new ModelSpec("tinierhar"), new InputShape(400, 6, 12));
        Assert.Equal((cost.Params, cost.Macs), (scores[0].Parameters, scores[0].Macs));
        Assert.Equal(new RunKey("uschad", "tinierhar", "full", "paper", 1, 0), study.ShowcaseFold());
        Assert.Equal(["tinierhar", "tinyhar"], study.FullModelsOf(study.ShowcaseFold()!).Select(k => k.Model)); // DeepConvLSTM's fold failed
        Assert.Equal(["USC-HAD: TinierHAR − TinyHAR = +0.043 macro F1 over 3 paired fold(s), 95 % CI [−0.106, +0.193]: no significant difference (the interval contains 0); TinierHAR has 3.7× fewer parameters and 6.6× fewer MACs.",
            "USC-HAD: no finished fold of DeepConvLSTM yet, so no comparison with it."], study.Takeaways());

        var slice = new[] { Row("tinierhar", "full", 0, 0.3) with { Key = new RunKey("uschad", "tinierhar", "full", "quick-e2", 1, 0) },
            Row("deepconvlstm", "full", 0, 0.4) with { Key = new RunKey("uschad", "deepconvlstm", "full", "quick-e2", 1, 0) } };
        var beside = study.Beside(slice);
        Assert.Equal(("TinierHAR", "quick-e2", 0.3, "paper", 4, 0.725), (beside[1].Configuration, beside[1].SlicePreset, beside[1].SliceMacroF1, beside[1].StudyPreset, beside[1].StudyFolds, Math.Round(beside[1].StudyMacroF1, 12)));
        Assert.Equal(("DeepConvLSTM", "not in the study yet"), (beside[0].Configuration, beside[0].StudyPreset));
        Assert.True(double.IsNaN(beside[0].StudyMacroF1));
    }

    [Fact]
    public void Ablations_are_paired_with_their_full_model_and_costed()
    {
        using var dir = new TempDir("thresults");
        var study = Study(dir,
            Row("tinierhar", "full", 0, 0.8), Row("tinierhar", "full", 1, 0.9),
            Row("tinierhar", "no-gru", 0, 0.6), Row("tinierhar", "no-gru", 1, 0.8),
            Row("tinierhar", "full-F2-M2-H8", 0, 0.5)); // a design-space point is not an ablation
        var a = Assert.Single(study.Ablations());
        Assert.Equal(("TinierHAR w/o GRU", 2), (a.Variant, a.Pairs));
        Assert.Equal(-0.15, a.DeltaF1, 12);
        var shape = new InputShape(400, 6, 12);
        var (full, noGru) = (CostTables.Count(new ModelSpec("tinierhar"), shape), CostTables.Count(new ModelSpec("tinierhar", "no-gru"), shape));
        Assert.Equal(100.0 * (noGru.Macs - full.Macs) / full.Macs, a.MacsChangePercent, 12);
        Assert.True(a.MacsChangePercent < 0);
        var markdown = study.Markdown();
        Assert.Contains("| USC-HAD | TinierHAR w/o GRU | 2 | −0.150 |", markdown);
        Assert.Contains("| USC-HAD | TinierHAR | paper | 2 | 1 | 0.850 ± 0.071 |", markdown);
        Assert.Contains("5 of 5 planned folds finished", study.Describe()); // no plan.csv: the finished rows are the plan
        // Full TinierHAR on USC-HAD is tier 1, its ablations tier 2 and the design point F=2 M=2 H=8 tier 2 too.
        Assert.Equal([(1, 2, 2), (2, 3, 3)], study.Tiers().Select(t => (t.Tier, t.Done, t.Planned)));
        Assert.Contains("tier 1 2 of 2, tier 2 3 of 3", study.Describe());
        Assert.Contains("| 2 | TinierHAR's ablations and design-space sweep on USC-HAD | 3 | 3 |", markdown);
    }

    [Fact]
    public void One_run_shows_no_spread()
    {
        using var dir = new TempDir("thresults");
        var markdown = Study(dir, Row("tinierhar", "full", 0, 0.8), Row("tinyhar", "full", 0, 0.7), Row("tinyhar", "full", 1, 0.9)).Markdown();
        Assert.Contains("| USC-HAD | TinierHAR | paper | 1 | 1 | 0.800 (one run) |", markdown);
        Assert.Contains("| USC-HAD | TinyHAR | paper | 2 | 1 | 0.800 ± 0.141 |", markdown);
        Assert.Contains("| USC-HAD | TinierHAR − TinyHAR | 1 | +0.100 | n/a (one pair) | 1 of 1 |", markdown);
    }

    [Fact]
    public void A_second_seed_joins_the_mean_only_once_it_has_every_fold_of_the_first()
    {
        using var dir = new TempDir("thresults");
        var seed1 = new[] { Row("tinierhar", "full", 0, 0.8), Row("tinierhar", "full", 1, 0.6) };
        var partial = Study(dir, [.. seed1, Row("tinierhar", "full", 0, 0.2, seed: 2)]);
        var score = Assert.Single(partial.Scores());
        Assert.Equal((2, 1, 2, 1, "2"), (score.Folds, score.Seeds, score.Runs, score.NotPooled, score.UnfinishedSeeds));
        Assert.Equal(0.7, score.MacroF1, 12);
        var markdown = partial.Markdown();
        Assert.Contains("| USC-HAD | TinierHAR | paper | 2 | 1 | 0.700 ± 0.141 |", markdown);
        Assert.Contains("Not in the mean yet: 1 finished run(s) of USC-HAD TinierHAR, seed(s) 2, which join it once they have every fold of the first seed (2).", markdown);
        var point = Assert.Single(partial.Points()); // the efficiency plots pool the same runs
        Assert.Equal((2, 0.7), (point.Runs, Math.Round(point.MacroF1, 12)));

        new RunStore(dir.Path).Record(Row("tinierhar", "full", 1, 0.4, seed: 2));
        var complete = Assert.Single(StudyResults.Open(dir.Path).Scores());
        Assert.Equal((2, 2, 4, 0), (complete.Folds, complete.Seeds, complete.Runs, complete.NotPooled));
        Assert.Equal(0.5, complete.MacroF1, 12);
    }

    [Fact]
    public void Each_tier_counts_its_worker_hours_spent_and_left_at_the_finished_folds_epoch_times()
    {
        using var dir = new TempDir("thresults");
        new StudyFolder(dir.Path).AddJobs(new StudyRequest(["uschad"], ["tinierhar"], Variants: VariantSet.All, Folds: [0, 1, 2]).Jobs()
            .Where(j => j.Spec.RunVariant is "full" or "no-gru"));
        var study = Study(dir,
            Row("tinierhar", "full", 0, 0.8) with { Epochs = 60, Seconds = 600 },   // 10 s per epoch, 60 epochs
            Row("tinierhar", "full", 1, 0.7) with { Epochs = 40, Seconds = 1200 }); // 30 s per epoch, 40 epochs
        // Mean 20 s per epoch × mean 50 epochs = 1000 s per unfinished fold: one in tier 1 (full, fold 2), three in tier 2 (no-gru).
        Assert.Equal([(1, 2, 3, Math.Round(1800.0 / 3600, 12), Math.Round(1000.0 / 3600, 12)), (2, 0, 3, 0, Math.Round(3000.0 / 3600, 12))],
            study.Tiers().Select(t => (t.Tier, t.Done, t.Planned, Math.Round(t.WorkerHoursSpent, 12), Math.Round(t.WorkerHoursLeft!.Value, 12))));
        Assert.Contains("| 1 | main comparison: USC-HAD and HAPT, the three full models, seed 1 | 2 | 3 | 0.5 | 0.3 |", study.Markdown());
        Assert.Contains("| 2 | TinierHAR's ablations and design-space sweep on USC-HAD | 0 | 3 | 0.0 | 0.8 |", study.Markdown());
    }

    [Fact]
    public void A_folder_without_results_is_named()
    {
        using var dir = new TempDir("thresults");
        var e = Assert.Throws<TinierHarException>(() => StudyResults.Open(dir.Path));
        Assert.Contains(Path.Combine(dir.Path, "results.csv"), e.Message);
    }
}
