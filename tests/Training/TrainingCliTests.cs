using TinierHar.Cli;
using TinierHar.Models;
using TinierHar.Training;
using TinierHar.Tests.Data;

namespace TinierHar.Tests.Training;

/// <summary>train/results command contract (serial: redirects the console).</summary>
[Collection(TorchRngCollection.Name)]
public class TrainingCliTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => TinierHar.Tests.Cli.CliRunner.Run(args);

    [Theory]
    [InlineData("--dataset", "uschad")]
    [InlineData("--model", "tinierhar")]
    [InlineData("--model", "tinierhar", "--dataset", "nope")]
    [InlineData("--model", "nope", "--dataset", "uschad")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--folds", "0,x")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--folds", "-1")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--preset", "fast")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--epochs", "0")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--dtype", "half")]
    [InlineData("--model", "tinierhar", "--dataset", "uschad", "--epoch", "3")]
    public void Train_rejects_bad_arguments_with_one_line_and_exit_2(params string[] args)
    {
        var (code, _, err) = Run(["train", .. args]);
        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("tinierhar train: ", err);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Train_rejects_a_fold_the_dataset_does_not_have()
    {
        using var dir = new TempDir("thcli");
        var (code, _, err) = Run("train", "--model", "tinierhar", "--dataset", "uschad", "--folds", "7", "--data", TestPaths.Datasets,
            "--cache", RealData.Cache.Directory, "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("folds 0..6", err);
    }

    [Fact]
    public void Results_prints_the_summary_and_fails_without_results()
    {
        using var dir = new TempDir("thcli");
        var (code, _, err) = Run("results", "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("results.csv not found", err);

        var store = new RunStore(dir.Path);
        foreach (var (fold, f1) in new[] { (0, 0.5), (1, 0.7) })
            store.Record(new ResultRow(new RunKey("uschad", "tinierhar", "full", "paper", 1, fold), 0.8, f1, 0.75, 40, 25, 100));
        (code, var stdout, err) = Run("results", "--out", dir.Path);
        Assert.True(code == 0, err);
        Assert.Contains("uschad", stdout);
        Assert.Contains("tinierhar-full", stdout);
        Assert.Contains("0.6000 ± 0.1414", stdout);

        store.Record(new ResultRow(new RunKey("uschad", "tinyhar", "full", "paper", 1, 0), 0.8, 0.65, 0.75, 40, 25, 100));
        (code, stdout, err) = Run("results", "--out", dir.Path);
        Assert.True(code == 0, err);
        Assert.Matches(@"tinyhar-full\s+paper\s+0\.6500 \(one run\)\s+1\s+1\s+1", stdout); // one run: no "± 0.0000"

        store.Record(new ResultRow(new RunKey("uschad", "tinierhar", "full", "paper", 2, 0), 0.8, 0.1, 0.75, 40, 25, 100));
        (code, stdout, err) = Run("results", "--out", dir.Path);
        Assert.True(code == 0, err);
        Assert.Matches(@"tinierhar-full\s+paper\s+0\.6000 ± 0\.1414\s+2\s+1\s+2 .*\(\+1 run\(s\) of unfinished seed\(s\) 2, not in the mean\)", stdout);
    }
}

/// <summary>End to end on real data: a tiny train run (1 fold, 1 epoch, 200 windows), then resume-skip and results.</summary>
[Collection(TorchRngCollection.Name)]
public class TrainingCliEndToEndTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => TinierHar.Tests.Cli.CliRunner.Run(args);

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Train_then_rerun_skips_then_results()
    {
        using var dir = new TempDir("thcli");
        string[] train = ["train", "--model", "tinierhar", "--dataset", "uschad", "--folds", "2", "--preset", "quick", "--epochs", "1",
            "--batch-size", "16", "--max-train-windows", "200", "--threads", "1", "--data", TestPaths.Datasets,
            "--cache", RealData.Cache.Directory, "--out", dir.Path];
        var (code, stdout, err) = Run(train);
        Assert.True(code == 0, err);
        Assert.Contains("fold 2 seed 1 epoch 1/1", stdout);
        Assert.Contains("uschad/tinierhar-full/quick-e1-b16-n200-seed1/fold2: accuracy", stdout);
        Assert.True(File.Exists(Path.Combine(dir.Path, "uschad", "tinierhar-full", "quick-e1-b16-n200-seed1", "fold2", "best.pth")));

        (code, stdout, err) = Run(train);
        Assert.True(code == 0, err);
        Assert.Contains("done (macro F1", stdout);
        Assert.DoesNotContain("epoch 1/1", stdout);

        (code, stdout, err) = Run("results", "--out", dir.Path);
        Assert.True(code == 0, err);
        Assert.Contains("quick-e1-b16-n200", stdout);
    }
}
