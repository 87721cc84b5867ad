using System.Diagnostics;
using TinierHar.Tests.Data;
using TinierHar.Training;

namespace TinierHar.Tests.Training;

/// <summary>
/// Resume after a real kill: `tinierhar train` runs as a child process on real USC-HAD windows, is killed (whole
/// process tree, no warning) after its third epoch, and is started again with the same command; the resumed run must
/// end with exactly the numbers of an uninterrupted run.
/// </summary>
public class KillAndResumeTests
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "tinierhar.dll");

    static string[] TrainArgs(string outDir, string cacheDir) =>
    [
        Cli, "train", "--model", "tinierhar", "--dataset", "uschad", "--folds", "0", "--seeds", "1", "--preset", "quick",
        "--epochs", "6", "--batch-size", "32", "--threads", "1", "--max-train-windows", "300",
        "--data", TestPaths.Datasets, "--cache", cacheDir, "--out", outDir,
    ];

    static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
    }

    static (int Code, string Out, string Err) RunToEnd(string[] args)
    {
        using var p = Start(args);
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException("tinierhar train did not finish in 5 minutes"); }
        return (p.ExitCode, output, err.Result);
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void Killed_training_resumes_to_the_numbers_of_an_uninterrupted_run()
    {
        using var cache = new TempDir("thkill-cache");
        using var uninterrupted = new TempDir("thkill-a");
        using var killed = new TempDir("thkill-b");

        var (code, output, err) = RunToEnd(TrainArgs(uninterrupted.Path, cache.Path));
        Assert.True(code == 0, err + output);

        // Start, wait for the end of epoch 3, kill the whole process tree.
        using (var p = Start(TrainArgs(killed.Path, cache.Path)))
        {
            _ = p.StandardError.ReadToEndAsync();
            string? line;
            bool sawEpoch3 = false;
            while ((line = p.StandardOutput.ReadLine()) is not null)
                if (line.Contains("epoch 3/6")) { sawEpoch3 = true; break; }
            Assert.True(sawEpoch3, "the run ended before epoch 3");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        Assert.DoesNotContain(new RunStore(killed.Path).ReadResults(), r => r.Status == ResultRow.Done);

        var (code2, output2, err2) = RunToEnd(TrainArgs(killed.Path, cache.Path));
        Assert.True(code2 == 0, err2 + output2);
        Assert.DoesNotContain("epoch 1/6", output2);   // resumed from the last epoch checkpoint, not restarted

        var a = Assert.Single(new RunStore(uninterrupted.Path).ReadResults());
        var b = Assert.Single(new RunStore(killed.Path).ReadResults());
        Assert.Equal(ResultRow.Done, b.Status);
        Assert.Equal((a.Accuracy, a.MacroF1, a.WeightedF1, a.Epochs, a.BestEpoch), (b.Accuracy, b.MacroF1, b.WeightedF1, b.Epochs, b.BestEpoch));
    }
}
