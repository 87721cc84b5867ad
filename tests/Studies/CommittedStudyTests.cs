using System.Globalization;
using TinierHar.Data;
using TinierHar.Studies;
using TinierHar.Models;
using TinierHar.Training;

namespace TinierHar.Tests.Studies;

/// <summary>The study committed in <c>results/</c>: every finished row has its files and the scores its stored predictions
/// give, the plan covers every row, and <c>evaluate</c> reproduces a committed fold from its <c>best.pth</c>.</summary>
public class CommittedStudyTests
{
    static readonly string Results = Path.Combine(DataFolder.RepositoryRoot(AppContext.BaseDirectory), "results");

    [Fact]
    public void The_readme_results_tables_are_the_committed_study()
    {
        var readme = File.ReadAllText(Path.Combine(Results, "..", "README.md")).ReplaceLineEndings("\n");
        const string begin = "<!-- results: tinierhar results --out results --markdown -->\n", end = "<!-- /results -->";
        var at = readme.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(at >= 0, "README.md lacks the results block");
        var stop = readme.IndexOf(end, at, StringComparison.Ordinal);
        Assert.True(stop > at, "README.md's results block is not closed");
        var expected = TinierHar.Analysis.StudyResults.Open(Results).Markdown().ReplaceLineEndings("\n");
        Assert.True(expected == readme[(at + begin.Length)..stop],
            "README.md's Results tables differ from results/: replace the block with the output of 'tinierhar results --out results --markdown'");
    }

    [Fact]
    public void Every_committed_row_has_its_files_and_the_scores_of_its_predictions()
    {
        var folder = StudyFolder.Open(Results);
        var planned = folder.ReadPlan().Select(j => j.Key).ToHashSet();
        var rows = folder.Store.ReadResults().Where(r => r.Status == ResultRow.Done).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Contains(row.Key, planned);
            var dir = folder.Store.RunDir(row.Key);
            foreach (var file in new[] { RunStore.ConfigFile, RunStore.EpochsFile, RunStore.PredictionsFile })
                Assert.True(File.Exists(Path.Combine(dir, file)), $"{row.Key.RelativeDir}: {file} missing");
            // best.pth for seed 1; DeepConvLSTM's only for fold 0 is required (results/.gitignore: the 50 MB budget).
            bool hasBest = File.Exists(Path.Combine(dir, Trainer.BestFile));
            if (row.Key.Seed != 1) Assert.False(hasBest, $"{row.Key.RelativeDir}: best.pth is kept for seed 1 only");
            else if (row.Key.Model != ModelCatalog.DeepConvLstm || row.Key.Fold == 0) Assert.True(hasBest, $"{row.Key.RelativeDir}: best.pth missing");
            Assert.Equal(row.Epochs + 1, File.ReadAllLines(Path.Combine(dir, RunStore.EpochsFile)).Length);
            var info = DatasetRegistry.Get(row.Key.Dataset);
            var pairs = File.ReadAllLines(Path.Combine(dir, RunStore.PredictionsFile)).Skip(1).Select(l => l.Split(','))
                .Select(f => (Label: long.Parse(f[2], CultureInfo.InvariantCulture), Prediction: long.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
            var m = Metrics.Compute(pairs.Select(p => p.Label).ToArray(), pairs.Select(p => p.Prediction).ToArray(), info.K, info.ClassNames);
            Assert.Equal(row.Accuracy, m.Accuracy, 12);
            Assert.Equal(row.MacroF1, m.MacroF1, 12);
            Assert.Equal(row.WeightedF1, m.WeightedF1, 12);
            var provenance = folder.Store.ReadProvenance(row.Key);
            Assert.NotNull(provenance);
            Assert.Contains("+", provenance!.Code);
        }
    }

    [Fact]
    public void Tier_1_is_complete()
    {
        // The main comparison: USC-HAD's 7 and HAPT's 10 leave-subjects-out folds × the three full models, seed 1, paper preset.
        var done = new RunStore(Results).ReadResults().Where(r => r.Status == ResultRow.Done).Select(r => r.Key).ToHashSet();
        var tier1 = StudyTiers.Get(1).Requests.SelectMany(r => r.Jobs()).Select(j => j.Key).ToList();
        Assert.Equal(3 * (7 + 10), tier1.Count);
        Assert.All(tier1, k => Assert.True(done.Contains(k), $"{k.RelativeDir} not finished"));
    }

    [RequiresSharedFact(SharedFiles.Hapt, SharedFiles.UscHad)]
    public void Evaluate_reproduces_the_last_fold_of_each_dataset_and_full_model_that_keeps_its_weights()
    {
        var store = new RunStore(Results);
        var rows = store.ReadResults().Where(r => r.Status == ResultRow.Done && r.Key.Seed == 1 && r.Key.Variant == ModelVariant.Full
                && File.Exists(Path.Combine(store.RunDir(r.Key), Trainer.BestFile)))
            .GroupBy(r => (r.Key.Dataset, r.Key.Model)).Select(g => g.MaxBy(r => r.Key.Fold)!).ToList();
        Assert.Equal(6, rows.Count); // USC-HAD and HAPT × the three models
        using var cache = new TempDir("thcommitted-cache");
        var data = new DataFolder(TestPaths.Datasets, "test");
        foreach (var row in rows)
        {
            var check = RunEvaluation.Evaluate(store.RunDir(row.Key), data, new WindowCache(cache.Path));
            Assert.True(check.Matches, $"{row.Key.RelativeDir}: {check}");
            Assert.Equal(row.MacroF1, check.MacroF1);
        }
    }
}
