using TinierHar.Data;
using TinierHar.Studies;

namespace TinierHar.Tests.Studies;

/// <summary>Study plans: expansion and order from the registry alone, re-planning adds and keeps, names checked where they enter.</summary>
public class StudyPlanningTests
{
    [Fact]
    public void Jobs_come_in_seed_dataset_model_variant_fold_order_with_registry_fold_counts()
    {
        var jobs = new StudyRequest(["uschad", "hapt"], ["deepconvlstm", "tinierhar"], Seeds: [1, 2]).Jobs();
        int uschad = DatasetRegistry.Get("uschad").FoldCount, hapt = DatasetRegistry.Get("hapt").FoldCount;
        Assert.Equal((7, 10), (uschad, hapt));
        Assert.Equal(2 * 2 * (uschad + hapt), jobs.Count);
        Assert.Equal("uschad deepconvlstm-full paper seed 1 fold 0", jobs[0].ToString());
        Assert.Equal("uschad deepconvlstm-full paper seed 1 fold 6", jobs[6].ToString());
        Assert.Equal("uschad tinierhar-full paper seed 1 fold 0", jobs[7].ToString());
        Assert.Equal("hapt deepconvlstm-full paper seed 1 fold 0", jobs[14].ToString());
        Assert.All(jobs.Take(jobs.Count / 2), j => Assert.Equal(1, j.Config.Seed));
        Assert.All(jobs, j => Assert.Equal((150, 256), (j.Config.Epochs, j.Config.BatchSize)));
        Assert.Equal(jobs.Count, jobs.Select(j => j.Key).Distinct().Count());
    }

    [Fact]
    public void Ablations_and_the_sweep_expand_per_model()
    {
        var all = new StudyRequest(["uschad"], ["tinierhar", "deepconvlstm"], VariantSet.All, Sweep: true, Folds: [0]).Jobs();
        var variants = all.Select(j => $"{j.Spec.Model}-{j.Spec.RunVariant}").ToList();
        // TinierHAR: full, 4 ablations, 9 sweep points of which (4,4,16) is the full model; DeepConvLSTM: full + 2 (no sweep).
        Assert.Equal(["tinierhar-full", "tinierhar-no-residual", "tinierhar-no-attention", "tinierhar-no-gru", "tinierhar-no-conv",
            "tinierhar-full-F2-M2-H8", "tinierhar-full-F2-M2-H16", "tinierhar-full-F2-M2-H32", "tinierhar-full-F4-M4-H8",
            "tinierhar-full-F4-M4-H32", "tinierhar-full-F8-M8-H8", "tinierhar-full-F8-M8-H16", "tinierhar-full-F8-M8-H32",
            "deepconvlstm-full", "deepconvlstm-no-conv", "deepconvlstm-no-lstm"], variants);
        var ablations = new StudyRequest(["uschad"], ["tinyhar"], VariantSet.Ablations, Folds: [0, 3], Preset: "quick", Epochs: 2).Jobs();
        Assert.Equal(10, ablations.Count);
        Assert.DoesNotContain(ablations, j => j.Spec.Variant == "full");
        Assert.All(ablations, j => Assert.Equal("quick-e2", j.Config.Label));
    }

    [Fact]
    public void Bad_names_and_folds_are_refused_with_the_valid_ones()
    {
        Assert.Contains("valid: dg, dsads, hapt", Assert.Throws<TinierHarException>(() => new StudyRequest(["usc"], ["tinierhar"]).Jobs()).Message);
        Assert.Contains("expected one of: tinierhar, tinyhar, deepconvlstm", Assert.Throws<TinierHarException>(() => new StudyRequest(["uschad"], ["tinier"]).Jobs()).Message);
        Assert.Contains("folds 0..6, not 7", Assert.Throws<TinierHarException>(() => new StudyRequest(["uschad"], ["tinierhar"], Folds: [7]).Jobs()).Message);
        Assert.Contains("unknown preset 'fast'", Assert.Throws<TinierHarException>(() => new StudyRequest(["uschad"], ["tinierhar"], Preset: "fast").Jobs()).Message);
    }

    [Fact]
    public void Planning_again_adds_new_jobs_after_the_old_ones_and_keeps_them()
    {
        using var dir = new TempDir("thstudy");
        var folder = new StudyFolder(dir.Path);
        Assert.Equal(7, folder.AddJobs(new StudyRequest(["uschad"], ["deepconvlstm"]).Jobs()));
        Assert.Equal(0, folder.AddJobs(new StudyRequest(["uschad"], ["deepconvlstm"]).Jobs()));
        Assert.Equal(7, folder.AddJobs(new StudyRequest(["uschad"], ["deepconvlstm"], Seeds: [1, 2]).Jobs())); // seed 1 is planned already
        Assert.Equal(10, folder.AddJobs(new StudyRequest(["hapt"], ["tinierhar"]).Jobs()));
        var plan = folder.ReadPlan();
        Assert.Equal(24, plan.Count);
        Assert.All(plan.Take(7), j => Assert.Equal(("deepconvlstm", 1), (j.Spec.Model, j.Config.Seed)));
        Assert.All(plan.Skip(7).Take(7), j => Assert.Equal(("deepconvlstm", 2), (j.Spec.Model, j.Config.Seed)));
        Assert.All(plan.Skip(14), j => Assert.Equal(("hapt", "tinierhar"), (j.Dataset, j.Spec.Model)));
        Assert.Equal(24, plan.Select(j => j.Key).Distinct().Count());
    }

    [Fact]
    public void A_malformed_plan_names_its_file_and_line()
    {
        using var dir = new TempDir("thstudy");
        File.WriteAllText(Path.Combine(dir.Path, StudyFolder.PlanFile), "dataset,model,variant,preset,epochs,seed,fold\nuschad,tinierhar,full,paper,150,1,0\nuschad,tinierhar,no-gruu,paper,150,1,0\n");
        var e = Assert.Throws<TinierHarException>(() => StudyFolder.Open(dir.Path).ReadPlan());
        Assert.Contains("plan.csv, line 3", e.Message);
        Assert.Contains("no-gruu", e.Message);
        Assert.Contains("plan the study first", Assert.Throws<TinierHarException>(() => StudyFolder.Open(Path.Combine(dir.Path, "none"))).Message);
    }
}
