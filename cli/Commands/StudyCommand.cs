using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TinierHar.Data;
using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar study plan|run|slurm|status|work|run-one</c>: a study is a folder of jobs (one fold of one dataset ×
/// model variant × seed × preset each; lib/Studies) that local worker processes or a Slurm job array work through.
/// </summary>
public sealed class StudyCommand(TextWriter? stdout = null) : ICommand
{
    TextWriter _out => stdout ?? Console.Out;

    public string Name => "study";
    public string Summary => "plan a study of many folds and run it on local workers or a Slurm cluster (resumable)";

    const string Usage =
        "usage: tinierhar study plan --out DIR --datasets uschad,hapt --models tinierhar,tinyhar,deepconvlstm\n" +
        "                 [--variants full|ablations|all] [--sweep] [--seeds 1,2,3] [--folds all|0,3] [--preset paper|reference|quick] [--epochs N]\n" +
        "       tinierhar study plan --out DIR --tiers 1,2,3,4,5   (the committed study's tiers, paper preset; see README, Results)\n" +
        "       tinierhar study run --out DIR [--workers N] [--threads K] [--data DIR] [--cache DIR] [--datasets A,B] [--models M,N] [--seeds S,T]\n" +
        "       tinierhar study slurm --out DIR [--partition P] [--cpus-per-task K] [--time HH:MM:SS] [--max-parallel M] [--submit] [--data DIR]\n" +
        "       tinierhar study status --out DIR\n" +
        "       tinierhar study work --out DIR [--threads K] [--data DIR] [--cache DIR] [--datasets A,B] [--models M,N] [--seeds S,T]   (one worker; what 'run' starts)\n" +
        "       tinierhar study run-one --out DIR --job INDEX [--threads K] [--data DIR] [--cache DIR]   (one job; a Slurm task)";

    public int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help") { _out.WriteLine(Usage); return args.Length == 0 ? 2 : 0; }
        var a = new Args(args[1..], new HashSet<string> { "help", "sweep", "submit" });
        if (a.Flag("help")) { _out.WriteLine(Usage); return 0; }
        return args[0] switch
        {
            "plan" => Plan(a),
            "run" => RunLocal(a),
            "slurm" => Slurm(a),
            "status" => Status(a),
            "work" => Work(a),
            "run-one" => RunOne(a),
            _ => throw new UsageException($"unknown study command '{args[0]}' (expected plan, run, slurm, status, work or run-one)"),
        };
    }

    static string Out(Args a) => a.Get("out") ?? throw new UsageException("missing required option --out (the study folder)");

    static void Done(Args a)
    {
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
    }

    int Plan(Args a)
    {
        var outDir = Out(a);
        if (a.Get("tiers") is not null) return PlanTiers(a, outDir);
        var datasets = List(a, "datasets") ?? throw new UsageException("missing required option --datasets (e.g. uschad,hapt)");
        var models = List(a, "models") ?? throw new UsageException("missing required option --models (e.g. tinierhar,tinyhar,deepconvlstm)");
        var variants = (a.Get("variants") ?? "full") switch
        {
            "full" => VariantSet.Full,
            "ablations" => VariantSet.Ablations,
            "all" => VariantSet.All,
            var v => throw new UsageException($"option --variants expects full, ablations or all, got '{v}'"),
        };
        var seeds = Ints(a, "seeds", 0);
        var foldsText = a.Get("folds");
        var folds = foldsText is null or "all" ? null : Ints(foldsText, "folds", 0);
        var request = new StudyRequest(datasets, models, variants, a.Flag("sweep"), seeds, folds, a.Get("preset") ?? "paper", a.GetInt("epochs", 1));
        Done(a);
        IReadOnlyList<StudyJob> jobs;
        try { jobs = request.Jobs(); }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
        var folder = new StudyFolder(outDir);
        int added = folder.AddJobs(jobs);
        var total = folder.ReadPlan().Count;
        _out.WriteLine($"{folder.PlanPath}: {added} job(s) added, {jobs.Count - added} already planned; {total} in the plan");
        return 0;
    }

    int PlanTiers(Args a, string outDir)
    {
        var numbers = Ints(a, "tiers", 1)!;
        foreach (var option in new[] { "datasets", "models", "variants", "seeds", "folds", "preset", "epochs" })
            if (a.Get(option) is not null)
                throw new UsageException($"--tiers fixes datasets, models, variants, seeds and preset: give --tiers or --{option}, not both");
        if (a.Flag("sweep")) throw new UsageException("--tiers fixes datasets, models, variants, seeds and preset: give --tiers or --sweep, not both");
        Done(a);
        IReadOnlyList<StudyJob> jobs;
        try { jobs = numbers.Select(StudyTiers.Get).SelectMany(t => t.Jobs()).DistinctBy(j => j.Key).ToList(); }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
        var folder = new StudyFolder(outDir);
        int added = folder.AddJobs(jobs);
        _out.WriteLine($"{folder.PlanPath}: {added} job(s) added, {jobs.Count - added} already planned; {folder.ReadPlan().Count} in the plan");
        return 0;
    }

    int RunLocal(Args a)
    {
        var folder = StudyFolder.Open(Out(a));
        int workers = a.GetInt("workers", 1) ?? Environment.ProcessorCount;
        int threads = a.GetInt("threads", 1) ?? 1;
        var data = DataFolder.Resolve(a.Get("data"));
        var cache = a.Get("cache");
        var (onlyArgs, only) = Only(a);
        Done(a);
        var status = folder.Status();
        _out.WriteLine($"{folder.Root}: {StudySummary.Of(status, workers).Counts}; {workers} worker(s) × {threads} thread(s), data {data.Root}");
        using var cts = new CancellationTokenSource();
        using var signals = StopOnSignals(cts, "stopping: the workers finish their epoch and checkpoint (run the same command to resume)");
        var runner = new LocalRunner(folder, workers, n => WorkerCommand(folder.Root, threads, data.Root, cache, onlyArgs),
            line => _out.WriteLine($"{DateTime.Now:HH:mm:ss} {line}"), only);
        var summary = runner.Run(cts.Token);
        _out.WriteLine(summary.Counts);
        if (cts.IsCancellationRequested) throw new UsageException("interrupted; finished folds are recorded and running ones checkpointed: run the same command to resume");
        return summary.Failed > 0 ? 1 : 0;
    }

    int Slurm(Args a)
    {
        var folder = StudyFolder.Open(Out(a));
        var options = new SlurmOptions(a.Get("partition"), a.GetInt("cpus-per-task", 1) ?? 1, a.Get("time") ?? "12:00:00", a.GetInt("max-parallel", 1));
        bool submit = a.Flag("submit");
        var data = DataFolder.Resolve(a.Get("data"));
        Done(a);
        string path; int tasks;
        try { (path, tasks) = SlurmScript.Write(folder, options, CommandLine(), data.Root); }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
        if (tasks == 0) { _out.WriteLine($"{folder.Root}: no pending job; nothing to submit"); return 0; }
        _out.WriteLine($"{path}: job array of {tasks} task(s)");
        if (!submit) { _out.WriteLine($"submit with: sbatch {SlurmScript.Quote(path)}"); return 0; }
        var psi = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new UsageException("--submit: 'sbatch' not found on PATH (is Slurm installed here?); the script is written, submit it on a login node"); }
        using (p)
        {
            var output = p.StandardOutput.ReadToEnd().Trim();
            var error = p.StandardError.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new UsageException($"sbatch {path} failed (exit {p.ExitCode}): {error.Split('\n')[0]}");
            _out.WriteLine(output);
        }
        return 0;
    }

    int Status(Args a)
    {
        var folder = StudyFolder.Open(Out(a));
        Done(a);
        var jobs = folder.Status();
        var groups = jobs.GroupBy(j => (j.Job.Dataset, Model: j.Job.Spec.Model + "-" + j.Job.Spec.RunVariant, j.Job.Config.Label, j.Job.Config.Seed)).ToList();
        // Columns as wide as their longest entry, so long variant names keep the table aligned.
        int wd = groups.Select(g => g.Key.Dataset.Length).Append(7).Max() + 1, wm = groups.Select(g => g.Key.Model.Length).Append(5).Max() + 1,
            wp = groups.Select(g => g.Key.Label.Length).Append(6).Max() + 1;
        _out.WriteLine($"{"dataset".PadRight(wd)} {"model".PadRight(wm)} {"preset".PadRight(wp)} {"seed",4} {"done",5} {"run",4} {"wait",5} {"fail",5}  macro F1 (done folds)");
        foreach (var g in groups)
        {
            var f1 = g.Where(j => j.State == JobState.Done).Select(j => j.Row!.MacroF1).ToList();
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{g.Key.Dataset.PadRight(wd)} {g.Key.Model.PadRight(wm)} {g.Key.Label.PadRight(wp)} {g.Key.Seed,4} {Count(g, JobState.Done),5} {Count(g, JobState.Running),4} {Count(g, JobState.Pending),5} {Count(g, JobState.Failed),5}  {(f1.Count > 0 ? Metrics.MeanSpread(Metrics.Mean(f1), Metrics.SampleStd(f1), f1.Count, 4) : "")}"));
        }
        foreach (var j in jobs.Where(j => j.State == JobState.Running))
            _out.WriteLine($"running: {j.Job}{(j.Progress is { } p ? $", epoch {p.Epoch}/{p.Epochs} on {p.Host} (pid {p.Pid})" : "")}");
        foreach (var j in jobs.Where(j => j.State == JobState.Failed || (j.State == JobState.Pending && j.Failure is not null)))
            _out.WriteLine($"{(j.State == JobState.Failed ? "failed" : "will retry")}: {j.Job}: {j.Failure}");
        var summary = StudySummary.Of(jobs, workers: 1);
        if (summary.Pending + summary.Running > 0 && summary.Eta is { } eta)
            _out.WriteLine($"remaining: about {StudySummary.Time(eta)} of one worker at the measured epoch times");
        _out.WriteLine(summary.Counts);
        return 0;
    }

    static int Count<T>(IEnumerable<JobStatus> g, T state) where T : struct, Enum => g.Count(j => j.State.Equals(state));

    int Work(Args a)
    {
        var (folder, worker, _) = Worker(a);
        Done(a);
        using var cts = new CancellationTokenSource();
        using var signals = StopOnSignals(cts, "stopping after the running epoch");
        try
        {
            int n = worker.RunAll(cts.Token);
            _out.WriteLine($"worker {Environment.ProcessId}: {n} job(s) finished; {StudySummary.Of(folder.Status(), 1).Counts}");
        }
        catch (OperationCanceledException) { _out.WriteLine($"worker {Environment.ProcessId}: stopped"); }
        return 0;
    }

    int RunOne(Args a)
    {
        var (_, worker, _) = Worker(a);
        int job = a.GetInt("job", 0) ?? throw new UsageException("missing required option --job (a 0-based index into plan.csv)");
        Done(a);
        using var cts = new CancellationTokenSource();
        using var signals = StopOnSignals(cts, "stopping after the running epoch");
        try { worker.RunOne(job, cts.Token); }
        catch (OperationCanceledException) { throw new UsageException($"job {job} stopped after its epoch; it resumes when run again"); }
        return 0;
    }

    (StudyFolder, StudyWorker, DataFolder) Worker(Args a)
    {
        var folder = StudyFolder.Open(Out(a));
        var threads = a.GetInt("threads", 1);
        var data = DataFolder.Resolve(a.Get("data"));
        var cache = WindowCache.Resolve(a.Get("cache"));
        var (_, only) = Only(a);
        return (folder, new StudyWorker(folder, data, cache, threads, line => { _out.WriteLine($"{DateTime.Now:HH:mm:ss} {line}"); _out.Flush(); }, only), data);
    }

    /// <summary>--datasets, --models and --seeds of run/work: which jobs to take (checked names), and the same options for the workers.</summary>
    static (IReadOnlyList<string> Args, Func<StudyJob, bool>? Only) Only(Args a)
    {
        var datasets = List(a, "datasets");
        var models = List(a, "models");
        var seeds = Ints(a, "seeds", 0)?.ToHashSet();
        if (datasets is null && models is null && seeds is null) return ([], null);
        try
        {
            var ds = datasets?.Select(d => DatasetRegistry.Get(d.ToLowerInvariant()).Key).ToHashSet();
            var ms = models?.Select(m => new Models.ModelSpec(m).Resolve().Model).ToHashSet();
            var args = new List<string>();
            if (ds is not null) args.AddRange(["--datasets", string.Join(",", ds)]);
            if (ms is not null) args.AddRange(["--models", string.Join(",", ms)]);
            if (seeds is not null) args.AddRange(["--seeds", string.Join(",", seeds)]);
            return (args, j => (ds?.Contains(j.Dataset) ?? true) && (ms?.Contains(j.Spec.Model) ?? true) && (seeds?.Contains(j.Config.Seed) ?? true));
        }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Ctrl+C and SIGTERM cancel <paramref name="cts"/> (a second Ctrl+C kills).</summary>
    IDisposable StopOnSignals(CancellationTokenSource cts, string message)
    {
        void Handler(PosixSignalContext c)
        {
            if (cts.IsCancellationRequested) return; // second signal: default action
            c.Cancel = true;
            Console.Error.WriteLine(message);
            cts.Cancel();
        }
        var regs = new[] { PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler) };
        return new Disposables(regs);
    }

    sealed class Disposables(IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var d in items) d.Dispose(); }
    }

    /// <summary>How this process was started: the apphost, or <c>dotnet tinierhar.dll</c>.</summary>
    static (string File, string[] Prefix) Self()
    {
        var exe = Environment.ProcessPath ?? throw new UsageException("cannot tell this program's path to start workers");
        var dll = typeof(StudyCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? (exe, [dll]) : (exe, []);
    }

    static string CommandLine()
    {
        var (file, prefix) = Self();
        return string.Join(" ", new[] { file }.Concat(prefix).Select(SlurmScript.Quote));
    }

    static ProcessStartInfo WorkerCommand(string root, int threads, string data, string? cache, IReadOnlyList<string> onlyArgs)
    {
        var (file, prefix) = Self();
        var psi = new ProcessStartInfo(file);
        foreach (var p in prefix) psi.ArgumentList.Add(p);
        foreach (var p in new[] { "study", "work", "--out", root, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--data", data })
            psi.ArgumentList.Add(p);
        if (cache is not null) { psi.ArgumentList.Add("--cache"); psi.ArgumentList.Add(cache); }
        foreach (var p in onlyArgs) psi.ArgumentList.Add(p);
        return psi;
    }

    static IReadOnlyList<string>? List(Args a, string name)
    {
        var s = a.Get(name);
        if (s is null) return null;
        var items = s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items : throw new UsageException($"option --{name} is empty");
    }

    static IReadOnlyList<int>? Ints(Args a, string name, int min) => a.Get(name) is string s ? Ints(s, name, min) : null;

    static IReadOnlyList<int> Ints(string s, string name, int min)
    {
        var list = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.TrimEntries))
            list.Add(int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v
                : throw new UsageException($"option --{name} expects comma-separated whole numbers >= {min}, got '{s}'"));
        return list;
    }
}
