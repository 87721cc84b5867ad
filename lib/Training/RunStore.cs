using System.Globalization;
using System.Text;
using System.Text.Json;
using TinierHar.Data;
using TinierHar.Models;

namespace TinierHar.Training;

/// <summary>Identifies one trained fold: dataset, model, variant, training label (preset plus overrides, see
/// <see cref="TrainingConfig.Label"/>), seed and fold.</summary>
public sealed record RunKey(string Dataset, string Model, string Variant, string Preset, int Seed, int Fold)
{
    /// <summary>Folder of the run below the store root, e.g. <c>uschad/tinierhar-full/paper-seed1/fold3</c>.</summary>
    public string RelativeDir => Path.Combine(Dataset, $"{Model}-{Variant}", $"{Preset}-seed{Seed}", $"fold{Fold}");
}

/// <summary>One row of <c>results.csv</c>: the test scores of a finished fold.</summary>
public sealed record ResultRow(RunKey Key, double Accuracy, double MacroF1, double WeightedF1, int Epochs, int BestEpoch, double Seconds, string Status = ResultRow.Done)
{
    public const string Done = "done";
}

/// <summary>Dataset × model summary over the result rows of one (dataset, model, variant, preset): the reference's
/// dataset score is the plain mean of per-fold macro F1 (<c>np.average</c>); here over the folds of every pooled seed
/// (<see cref="RunStore.Pool"/>), with the sample standard deviation over the same rows. <paramref name="NotPooled"/>
/// finished runs of <paramref name="UnfinishedSeeds"/> wait outside the mean until those seeds have every fold.</summary>
public sealed record SummaryRow(string Dataset, string Model, string Variant, string Preset, int Folds, int Seeds, int Runs,
    double MeanMacroF1, double StdMacroF1, double MeanAccuracy, double MeanWeightedF1, int NotPooled = 0, string UnfinishedSeeds = "");

/// <summary>
/// The folder of training runs (default <c>&lt;repo&gt;/runs</c>): one folder per <see cref="RunKey"/> holding
/// <c>config.json</c>, <c>epochs.csv</c>, <c>best.pth</c>, <c>last.ckpt</c> and <c>test_predictions.csv</c>, plus
/// <c>results.csv</c> at the root with one row per finished fold. Every file is written to a temporary file and renamed;
/// adding a row rewrites the whole results file under an exclusive lock on <c>results.csv.lock</c>
/// (<see cref="Studies.FileLock"/>), so concurrent writers (threads, worker processes, Slurm tasks on a shared file
/// system) neither lose nor duplicate a row.
/// (The reference writes <c>score.txt</c> and logs per experiment folder; the layout here is ours.)
/// </summary>
public sealed class RunStore
{
    public const string ResultsFile = "results.csv", ConfigFile = "config.json", EpochsFile = "epochs.csv", PredictionsFile = "test_predictions.csv";
    /// <summary>Longest wait for the results lock before giving up with a message naming the file.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    const string Header = "dataset,model,variant,preset,seed,fold,accuracy,macro_f1,weighted_f1,epochs,best_epoch,seconds,status";

    public RunStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }
    public string ResultsPath => Path.Combine(Root, ResultsFile);

    /// <summary><c>--out</c> or <c>&lt;repo&gt;/runs</c> (the current folder's <c>runs</c> outside a repository).</summary>
    public static RunStore Resolve(string? option) =>
        new(option ?? Path.Combine(DataFolder.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "runs"));

    public string RunDir(RunKey key) => Path.Combine(Root, key.RelativeDir);

    /// <summary>The rows of <c>results.csv</c> (none when it does not exist).</summary>
    public IReadOnlyList<ResultRow> ReadResults()
    {
        if (!File.Exists(ResultsPath)) return [];
        var rows = new List<ResultRow>();
        var lines = File.ReadAllLines(ResultsPath);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 13) throw new TinierHarException($"{ResultsPath}, line {i + 1}: expected 13 fields, got {f.Length}");
            try
            {
                rows.Add(new ResultRow(new RunKey(f[0], f[1], f[2], f[3], int.Parse(f[4], Inv), int.Parse(f[5], Inv)),
                    double.Parse(f[6], Inv), double.Parse(f[7], Inv), double.Parse(f[8], Inv), int.Parse(f[9], Inv), int.Parse(f[10], Inv),
                    double.Parse(f[11], Inv), f[12]));
            }
            catch (FormatException e)
            {
                throw new TinierHarException($"{ResultsPath}, line {i + 1}: {e.Message}");
            }
        }
        return rows;
    }

    public bool IsDone(RunKey key) => ReadResults().Any(r => r.Key == key && r.Status == ResultRow.Done);

    /// <summary>Adds (or replaces) the row of <paramref name="row"/>'s key; rewrites <c>results.csv</c> atomically, holding
    /// the store's lock from the read to the rename.</summary>
    public void Record(ResultRow row)
    {
        using (Studies.FileLock.Acquire(ResultsPath + ".lock", LockTimeout))
        {
            var rows = ReadResults().Where(r => r.Key != row.Key).Append(row).ToList();
            var sb = new StringBuilder().AppendLine(Header);
            foreach (var r in rows)
            {
                var k = r.Key;
                sb.AppendLine(string.Join(",", k.Dataset, k.Model, k.Variant, k.Preset, k.Seed.ToString(Inv), k.Fold.ToString(Inv),
                    F(r.Accuracy), F(r.MacroF1), F(r.WeightedF1), r.Epochs.ToString(Inv), r.BestEpoch.ToString(Inv), r.Seconds.ToString("F1", Inv), r.Status));
            }
            WriteAtomic(ResultsPath, sb.ToString());
        }
    }

    /// <summary>
    /// Writes <c>config.json</c> for a run, or checks that the one there describes the same run (anything but the thread
    /// count differing is an error: delete the folder or choose another --out).
    /// </summary>
    public void WriteOrCheckConfig(RunKey key, ModelSpec spec, TrainingConfig config)
    {
        var dir = RunDir(key);
        var json = JsonSerializer.Serialize(new { dataset = key.Dataset, fold = key.Fold, model = spec.Resolve(), training = JsonDocument.Parse(config.ToJson()).RootElement },
            new JsonSerializerOptions { WriteIndented = true });
        var path = Path.Combine(dir, ConfigFile);
        if (File.Exists(path))
        {
            var old = File.ReadAllText(path);
            if (Normalize(old) != Normalize(json)) throw new TinierHarException($"{path}: this run folder was made with another configuration; delete it or use another --out");
        }
        WriteAtomic(path, json);
    }

    /// <summary>Sets the <c>"run"</c> entry of a run's <c>config.json</c> (written by <see cref="WriteOrCheckConfig"/>).</summary>
    public void WriteProvenance(RunKey key, RunProvenance provenance)
    {
        var path = Path.Combine(RunDir(key), ConfigFile);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        node["run"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(provenance));
        WriteAtomic(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    /// <summary>The <c>"run"</c> entry of a run's <c>config.json</c>, or null when it has none.</summary>
    public RunProvenance? ReadProvenance(RunKey key)
    {
        var path = Path.Combine(RunDir(key), ConfigFile);
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.TryGetProperty("run", out var run) ? run.Deserialize<RunProvenance>() : null;
    }

    static string Normalize(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var training = root.GetProperty("training").EnumerateObject().Where(p => p.Name != "threads").Select(p => p.Name + "=" + p.Value.GetRawText());
        return root.GetProperty("dataset").GetRawText() + root.GetProperty("fold").GetRawText() + root.GetProperty("model").GetRawText() + string.Join(";", training);
    }

    /// <summary>Writes <c>epochs.csv</c> and <c>test_predictions.csv</c> of a finished fold.</summary>
    public void WriteRunFiles(RunKey key, FoldResult result, PreparedFold data)
    {
        var dir = RunDir(key);
        var e = new StringBuilder().AppendLine("epoch,train_loss,validation_loss,validation_accuracy,validation_macro_f1,learning_rate,seconds,improved");
        foreach (var x in result.Epochs)
            e.AppendLine(string.Join(",", x.Epoch.ToString(Inv), F(x.TrainLoss), F(x.ValidationLoss), F(x.ValidationAccuracy), F(x.ValidationMacroF1),
                F(x.LearningRate), x.Seconds.ToString("F3", Inv), x.Improved ? "1" : "0"));
        WriteAtomic(Path.Combine(dir, EpochsFile), e.ToString());
        var p = new StringBuilder().AppendLine("window,subject,label,prediction");
        for (int i = 0; i < result.TestPredictions.Length; i++)
            p.AppendLine(string.Join(",", data.Test.WindowIndices[i].ToString(Inv), data.Test.WindowSubjects[i].ToString(Inv),
                result.TestLabels[i].ToString(Inv), result.TestPredictions[i].ToString(Inv)));
        WriteAtomic(Path.Combine(dir, PredictionsFile), p.ToString());
    }

    /// <summary>Groups finished rows by (dataset, model, variant, preset): mean ± sample std of macro F1 over the pooled
    /// folds × seeds (<see cref="Pool"/>).</summary>
    public static IReadOnlyList<SummaryRow> Summarize(IEnumerable<ResultRow> rows) =>
        rows.Where(r => r.Status == ResultRow.Done)
            .GroupBy(r => (r.Key.Dataset, r.Key.Model, r.Key.Variant, r.Key.Preset))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Variant, StringComparer.Ordinal).ThenBy(g => g.Key.Preset, StringComparer.Ordinal)
            .Select(g =>
            {
                var (pooled, waiting) = Pool(g.ToList());
                return new SummaryRow(g.Key.Dataset, g.Key.Model, g.Key.Variant, g.Key.Preset,
                    pooled.Select(r => r.Key.Fold).Distinct().Count(), pooled.Select(r => r.Key.Seed).Distinct().Count(), pooled.Count,
                    Metrics.Mean(pooled.Select(r => r.MacroF1)), Metrics.SampleStd(pooled.Select(r => r.MacroF1)),
                    Metrics.Mean(pooled.Select(r => r.Accuracy)), Metrics.Mean(pooled.Select(r => r.WeightedF1)),
                    waiting.Count, string.Join(",", waiting.Select(r => r.Key.Seed).Distinct().Order()));
            })
            .ToList();

    /// <summary>
    /// Which finished runs of one configuration a mean pools, so that a seed still running does not tilt it: the lowest
    /// seed always counts (a study shows its first folds as they finish); another seed counts once it has finished every
    /// fold the lowest seed has. The rest wait.
    /// </summary>
    public static (IReadOnlyList<ResultRow> Pooled, IReadOnlyList<ResultRow> Waiting) Pool(IReadOnlyList<ResultRow> runs)
    {
        if (runs.Count == 0) return ([], []);
        var bySeed = runs.GroupBy(r => r.Key.Seed).OrderBy(g => g.Key).ToList();
        var first = bySeed[0].Select(r => r.Key.Fold).ToHashSet();
        var counted = bySeed.Where((g, i) => i == 0 || first.IsSubsetOf(g.Select(r => r.Key.Fold))).Select(g => g.Key).ToHashSet();
        return (runs.Where(r => counted.Contains(r.Key.Seed)).ToList(), runs.Where(r => !counted.Contains(r.Key.Seed)).ToList());
    }

    /// <summary>Writes text to a temporary file beside <paramref name="path"/> and renames it into place.</summary>
    public static void WriteAtomic(string path, string content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(tmp, content);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    static string F(double v) => v.ToString("R", Inv);
}
