using System.Globalization;
using TinierHar.Data;
using TinierHar.Training;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar train --model NAME [--variant NAME] --dataset NAME [--folds 0,3] [--seeds 1,2,3]
/// [--preset paper|reference|quick] [--epochs N] [--batch-size N] [--threads N] [--dtype float32|float64]
/// [--max-train-windows N] [--data DIR] [--cache DIR] [--out DIR]</c>: cross-validates a model on a dataset (see <see cref="CrossValidation"/>),
/// skipping finished folds and resuming unfinished ones; prints one line per fold and the summary. Ctrl+C stops after the running epoch (exit 2); rerunning resumes.
/// </summary>
public sealed class TrainCommand(TextWriter? stdout = null) : ICommand
{
    // Read the console when used, not when constructed: CliApp's command list is static and tests redirect the console.
    TextWriter _out => stdout ?? Console.Out;
    bool _interactive => stdout is null && !Console.IsOutputRedirected;

    public string Name => "train";
    public string Summary => "cross-validate a model on a dataset (resumable; results in --out, default runs/)";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "help" });
        if (a.Flag("help"))
        {
            _out.WriteLine("usage: tinierhar train --model NAME [--variant NAME] --dataset NAME [--folds 0,3] [--seeds 1,2,3]\n" +
                "         [--preset paper|reference|quick] [--epochs N] [--batch-size N] [--threads N] [--dtype float32|float64]\n" +
                "         [--max-train-windows N (quick checks only)]\n" +
                "         [--data DIR] [--cache DIR] [--out DIR]");
            return 0;
        }
        var spec = ModelOptions.Read(a);
        var datasetName = a.Require("dataset");
        if (!DatasetRegistry.TryGet(datasetName.Trim().ToLowerInvariant(), out var info))
            throw new UsageException($"unknown dataset '{datasetName}' (valid: {string.Join(", ", DatasetRegistry.Keys)})");
        var folds = IntList(a, "folds", 0);
        var seeds = IntList(a, "seeds", int.MinValue);
        TrainingConfig config;
        try { config = TrainingConfig.FromPreset(a.Get("preset") ?? "paper"); }
        catch (TinierHarException e) { throw new UsageException(e.Message); }
        if (a.GetInt("epochs", 1) is int epochs) config = config with { Epochs = epochs };
        if (a.GetInt("batch-size", 1) is int bs) config = config with { BatchSize = bs };
        if (a.GetInt("threads", 1) is int threads) config = config with { Threads = threads };
        if (a.GetInt("max-train-windows", 1) is int maxTrain) config = config with { MaxTrainWindows = maxTrain };
        if (a.Get("dtype") is string dtype)
            config = dtype is "float32" or "float64" ? config with { Dtype = dtype } : throw new UsageException($"option --dtype expects float32 or float64, got '{dtype}'");
        var dataFolder = DataFolder.Resolve(a.Get("data"));
        var cache = WindowCache.Resolve(a.Get("cache"));
        var store = RunStore.Resolve(a.Get("out"));
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");

        var data = LoadedDataset.Load(info, dataFolder, cache);
        if (folds is not null)
            foreach (var f in folds)
                if (f >= data.Folds.Count) throw new UsageException($"option --folds: dataset '{info.Key}' has folds 0..{data.Folds.Count - 1}, not {f}");
        _out.WriteLine($"{info.Key}: {data.Windows.Count:N0} windows, T={info.WindowT} C={info.C} K={info.K}; {spec.Model}-{spec.Resolve().RunVariant}, {config.Label} " +
            $"({config.Epochs} epochs, batch {config.BatchSize}, {config.Dtype}); runs in {store.Root}");
        // Ctrl+C stops before the next epoch (the epochs done are checkpointed); the same command then resumes.
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !cts.IsCancellationRequested; // a second Ctrl+C kills (the checkpoints are atomic)
            if (e.Cancel) Console.Error.WriteLine("\nstopping after the running epoch (Ctrl+C again to kill)");
            cts.Cancel();
        };
        if (stdout is null) Console.CancelKeyPress += onCancel;
        IReadOnlyList<ResultRow> rows;
        try
        {
            rows = CrossValidation.Run(data, spec, config, store, folds, seeds, new ConsoleProgress(_out, _interactive), _out.WriteLine, cts.Token);
        }
        catch (OperationCanceledException)
        {
            _out.WriteLine();
            throw new UsageException("interrupted after the current epoch; run the same command again to resume");
        }
        finally
        {
            if (stdout is null) Console.CancelKeyPress -= onCancel;
        }
        var s = RunStore.Summarize(rows).Single();
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{info.Key} {s.Model}-{s.Variant} {s.Preset}: macro F1 {Metrics.MeanSpread(s.MeanMacroF1, s.StdMacroF1, s.Runs, 4)} over {s.Folds} fold(s) × {s.Seeds} seed(s); accuracy {s.MeanAccuracy:F4}, weighted F1 {s.MeanWeightedF1:F4}"));
        return 0;
    }

    static IReadOnlyList<int>? IntList(Args a, string name, int min)
    {
        var s = a.Get(name);
        if (s is null) return null;
        var list = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
                throw new UsageException($"option --{name} expects comma-separated whole numbers{(min > int.MinValue ? $" >= {min}" : "")}, got '{s}'");
            list.Add(v);
        }
        return list.Count == 0 ? throw new UsageException($"option --{name} is empty") : list;
    }
}
