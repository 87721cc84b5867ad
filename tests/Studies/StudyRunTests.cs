using System.Diagnostics;
using TinierHar.Training;

namespace TinierHar.Tests.Studies;

/// <summary>
/// The study commands as a user runs them, as child processes on the real UTD-MHAD files (complete; its small windows
/// keep this to about a minute): a worker killed mid-fold leaves the fold resumable, `study run` with two workers
/// finishes the plan, `evaluate` reproduces a stored fold and notices a changed one, `status` counts.
/// </summary>
public class StudyRunTests
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "tinierhar.dll");

    internal static ProcessStartInfo Command(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var p = Process.Start(Command(args))!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(8))) { p.Kill(true); throw new TimeoutException($"tinierhar {string.Join(' ', args)} did not finish in 8 minutes"); }
        return (p.ExitCode, output, err.Result);
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void A_killed_worker_resumes_and_evaluate_reproduces_the_stored_fold()
    {
        using var study = new TempDir("thstudy");
        using var cache = new TempDir("thstudy-cache");
        string[] where = ["--data", TestPaths.Datasets, "--cache", cache.Path];
        var plan = Run("study", "plan", "--out", study.Path, "--datasets", "utdmhad", "--models", "tinierhar", "--folds", "0,1", "--preset", "quick", "--epochs", "4");
        Assert.True(plan.Code == 0, plan.Err);
        Assert.Contains("2 job(s) added", plan.Out);

        var fold0 = Path.Combine(study.Path, "utdmhad", "tinierhar-full", "quick-e4-seed1", "fold0");
        using (var worker = Process.Start(Command(["study", "work", "--out", study.Path, "--threads", "1", .. where]))!)
        {
            _ = worker.StandardError.ReadToEndAsync();
            _ = worker.StandardOutput.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!File.Exists(Path.Combine(fold0, Trainer.LastFile)) && DateTime.UtcNow < deadline && !worker.HasExited) Thread.Sleep(50);
            Assert.True(File.Exists(Path.Combine(fold0, Trainer.LastFile)), "the worker never checkpointed an epoch");
            worker.Kill(entireProcessTree: true);
            worker.WaitForExit();
        }
        var status = Run("study", "status", "--out", study.Path);
        Assert.EndsWith("0 done, 0 running, 2 pending, 0 failed", status.Out.TrimEnd());

        var run = Run(["study", "run", "--out", study.Path, "--workers", "2", "--threads", "1", .. where]);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.EndsWith("2 done, 0 running, 0 pending, 0 failed", run.Out.TrimEnd());
        Assert.Contains("ETA", run.Out);
        var log = string.Concat(Directory.GetFiles(Path.Combine(study.Path, "logs")).Select(File.ReadAllText));
        // The killed attempt had checkpointed an epoch, so it does not count against the job: the retry is attempt 1 again.
        Assert.Contains("utdmhad tinierhar-full quick-e4 seed 1 fold 0: resuming", log);

        var rows = new RunStore(study.Path).ReadResults();
        Assert.Equal([0, 1], rows.Select(r => r.Key.Fold).Order());
        Assert.All(rows, r => Assert.Equal((ResultRow.Done, 4), (r.Status, r.Epochs)));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(fold0, RunStore.EpochsFile)).Length);
        var provenance = new RunStore(study.Path).ReadProvenance(rows[0].Key)!;
        Assert.Equal((RunProvenance.CodeVersion, Environment.ProcessorCount, 1), (provenance.Code, provenance.Cores, provenance.Threads));
        Assert.Contains("+", provenance.Code); // the commit is part of the code version
        Assert.True(provenance.Seconds > 0);
        Assert.Equal(TinierHar.Kernels.KernelSwitch.Enabled ? "fast" : "plain", provenance.Engine); // TinierHAR's fused conv blocks, float32

        var same = Run(["evaluate", "--run", fold0, .. where]);
        Assert.True(same.Code == 0, same.Err + same.Out);
        Assert.Contains("0 prediction(s) differ", same.Out);
        Assert.Contains("reproduced", same.Out);

        // A stored score that the checkpoint does not give: exit 1.
        var results = Path.Combine(study.Path, RunStore.ResultsFile);
        var r0 = rows.Single(r => r.Key.Fold == 0);
        new RunStore(study.Path).Record(r0 with { MacroF1 = r0.MacroF1 + 0.01 });
        var changed = Run(["evaluate", "--run", fold0, .. where]);
        Assert.Equal(1, changed.Code);
        Assert.Contains("DIFFERENT", changed.Out);

        new RunStore(study.Path).Record(r0);

        // A fold whose weights are not kept (as a committed study's DeepConvLSTM folds after fold 0): one line naming the
        // file and --retrain, exit 2; with --retrain the fold trains again from its config.json to the same predictions.
        File.Delete(Path.Combine(fold0, Trainer.BestFile));
        var missing = Run(["evaluate", "--run", fold0, .. where]);
        Assert.Equal(2, missing.Code);
        Assert.StartsWith($"tinierhar evaluate: {Path.Combine(fold0, Trainer.BestFile)} not found: this fold's weights are not kept", missing.Err.Trim());
        Assert.Contains("add --retrain", missing.Err);
        var retrained = Run(["evaluate", "--run", fold0, "--retrain", .. where]);
        Assert.True(retrained.Code == 0, retrained.Err + retrained.Out);
        Assert.Contains("epoch 4/4", retrained.Out); // its progress
        Assert.Contains($"{Path.Combine("utdmhad", "tinierhar-full", "quick-e4-seed1", "fold0")} (re-trained from config.json): accuracy", retrained.Out);
        Assert.Contains("0 prediction(s) differ", retrained.Out);
        Assert.False(File.Exists(Path.Combine(fold0, Trainer.BestFile))); // the store is left as it was

        // A folder that is not a finished run: one line naming the missing file, exit 2.
        File.Delete(Path.Combine(fold0, RunStore.PredictionsFile));
        var unfinished = Run(["evaluate", "--run", fold0, "--retrain", .. where]);
        Assert.Equal(2, unfinished.Code);
        Assert.Equal($"tinierhar evaluate: {Path.Combine(fold0, RunStore.PredictionsFile)} not found: '{fold0}' is not the folder of a finished run", unfinished.Err.Trim());
        Assert.True(File.Exists(results));
    }

    [RequiresSharedFact(SharedFiles.UtdMhad)]
    public void Run_takes_only_the_jobs_its_filters_name()
    {
        using var study = new TempDir("thstudy");
        Assert.Equal(0, Run("study", "plan", "--out", study.Path, "--datasets", "utdmhad", "--models", "tinierhar", "--folds", "0", "--preset", "quick").Code);
        var other = Run("study", "run", "--out", study.Path, "--models", "deepconvlstm", "--data", TestPaths.Datasets);
        Assert.True(other.Code == 0, other.Err);
        Assert.EndsWith("0 done, 0 running, 1 pending, 0 failed", other.Out.TrimEnd());
        var seed2 = Run("study", "run", "--out", study.Path, "--seeds", "2", "--data", TestPaths.Datasets);
        Assert.True(seed2.Code == 0, seed2.Err);
        Assert.EndsWith("0 done, 0 running, 1 pending, 0 failed", seed2.Out.TrimEnd());
        var badSeeds = Run("study", "run", "--out", study.Path, "--seeds", "one");
        Assert.Equal(2, badSeeds.Code);
        Assert.Contains("option --seeds expects comma-separated whole numbers >= 0, got 'one'", badSeeds.Err);
        var bad = Run("study", "run", "--out", study.Path, "--datasets", "utd");
        Assert.Equal(2, bad.Code);
        Assert.StartsWith("tinierhar study: unknown dataset 'utd' (valid: dg,", bad.Err.Trim());
        var noPlan = Run("study", "status", "--out", Path.Combine(study.Path, "nothing"));
        Assert.Equal(2, noPlan.Code);
        Assert.Contains("plan.csv not found: plan the study first", noPlan.Err);
    }

    [Fact]
    public void Status_columns_stay_aligned_for_long_variant_names()
    {
        using var study = new TempDir("thstudy");
        var plan = Run("study", "plan", "--out", study.Path, "--datasets", "uschad", "--models", "tinyhar", "--variants", "ablations", "--folds", "0");
        Assert.True(plan.Code == 0, plan.Err);
        var lines = Run("study", "status", "--out", study.Path).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[..6];
        Assert.Contains(lines, l => l.StartsWith("uschad ") && l.Contains("tinyhar-no-temporal-attention "));
        // Header and rows put the preset and the counts in the same columns.
        Assert.Single(lines.Select(l => l.IndexOf(l.StartsWith("dataset") ? "preset" : "paper", StringComparison.Ordinal)).Distinct());
        Assert.All(lines[1..], l => Assert.Equal(lines[0].IndexOf("fail", StringComparison.Ordinal) + 4, l.TrimEnd().Length)); // no F1 yet: rows end with the fail count
    }
}
