using System.Diagnostics;
using TinierHar.Training;

namespace TinierHar.Tests.Studies;

/// <summary>`study slurm --submit` on a real single-node Slurm cluster (started and stopped by the test): a tiny plan
/// (2 UTD-MHAD folds, 1 epoch) goes through the job array to the end and `results` shows its rows.</summary>
public class SlurmTests
{
    [SlurmFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_tiny_plan_runs_to_the_end_as_a_slurm_job_array()
    {
        using var study = new TempDir("thslurm-study");
        using var cache = new TempDir("thslurm-cache");
        var plan = StudyRunTests.Run("study", "plan", "--out", study.Path, "--datasets", "utdmhad", "--models", "tinierhar", "--folds", "0,1",
            "--preset", "quick", "--epochs", "1");
        Assert.True(plan.Code == 0, plan.Err);
        using var cluster = new SlurmCluster();
        var psi = StudyRunTests.Command("study", "slurm", "--out", study.Path, "--cpus-per-task", "1", "--time", "00:20:00", "--max-parallel", "2",
            "--submit", "--data", TestPaths.Datasets);
        psi.Environment["SLURM_CONF"] = cluster.ConfigPath;
        string output, error;
        using (var p = Process.Start(psi)!)
        {
            var err = p.StandardError.ReadToEndAsync();
            output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            error = err.Result;
            Assert.True(p.ExitCode == 0, error + output + cluster.Logs());
        }
        Assert.Contains("job array of 2 task(s)", output);
        Assert.Matches(@"Submitted batch job \d+", output);
        var script = File.ReadAllText(Path.Combine(study.Path, "study.sbatch"));
        Assert.Contains("#SBATCH --array=0-1%2", script);
        Assert.Contains("#SBATCH --cpus-per-task=1", script);
        Assert.Equal("0\n1\n", File.ReadAllText(Path.Combine(study.Path, "study.sbatch.jobs")));

        var deadline = DateTime.UtcNow.AddMinutes(10);
        string status = "";
        while (DateTime.UtcNow < deadline)
        {
            status = StudyRunTests.Run("study", "status", "--out", study.Path).Out.TrimEnd();
            if (status.EndsWith("2 done, 0 running, 0 pending, 0 failed") && cluster.Query("squeue", "-h").Trim().Length == 0) break;
            Thread.Sleep(1000);
        }
        var taskLogs = string.Join("\n", Directory.GetFiles(Path.Combine(study.Path, "logs"), "slurm-*.out").Select(File.ReadAllText));
        Assert.True(status.EndsWith("2 done, 0 running, 0 pending, 0 failed"), status + "\n" + taskLogs + cluster.Logs());
        Assert.Equal(2, Directory.GetFiles(Path.Combine(study.Path, "logs"), "slurm-*.out").Length);

        var results = StudyRunTests.Run("results", "--out", study.Path);
        Assert.True(results.Code == 0, results.Err);
        Assert.Matches(@"utdmhad\s+tinierhar-full\s+quick-e1\s+\d\.\d{4} ± \d\.\d{4}\s+2\s+1\s+2", results.Out);
        Assert.All(new RunStore(study.Path).ReadResults(), r => Assert.Equal(ResultRow.Done, r.Status));

        var again = StudyRunTests.Run("study", "slurm", "--out", study.Path);
        Assert.Contains("no pending job; nothing to submit", again.Out);
    }
}
