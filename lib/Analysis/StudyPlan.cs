using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using TinierHar.Data;
using TinierHar.Training;

namespace TinierHar.Analysis;

/// <summary>
/// What the training notebooks run. <b>Quick</b> (CI, smoke runs; not a reproduction): one dataset (the first present of
/// <see cref="QuickPreference"/>, USC-HAD then Daphnet, else any paper dataset in registry order), fold 0 (or the first runnable fold), seed 1, the "quick" preset cut to
/// <see cref="QuickEpochs"/> epochs and <see cref="QuickMaxTrainWindows"/> training windows. <b>Full</b> (the
/// reproduction): every paper dataset present in the data folder, every runnable fold, seed 1, the "paper" preset
/// (150 epochs, batch 256, as the reference's committed logs).
/// </summary>
/// <param name="Quick">True for the quick plan.</param>
/// <param name="Datasets">Dataset keys, in registry order.</param>
/// <param name="Folds">Fold indices; null = every runnable fold.</param>
/// <param name="Seeds">Seeds.</param>
/// <param name="Config">Training settings.</param>
/// <param name="Data">The data folder the datasets are read from (null: <see cref="DataFolder.Resolve"/> default).</param>
public sealed record StudyPlan(bool Quick, IReadOnlyList<string> Datasets, IReadOnlyList<int>? Folds, IReadOnlyList<int> Seeds,
    TrainingConfig Config, DataFolder? Data = null)
{
    /// <summary>Epochs of the quick plan (keeps CI fast).</summary>
    public const int QuickEpochs = 2;

    /// <summary>Training windows of the quick plan (keeps CI fast).</summary>
    public const int QuickMaxTrainWindows = 2000;

    /// <summary>
    /// The datasets the quick plan tries first, in order: USC-HAD, then Daphnet (key "dg"). Looked up in the registry,
    /// so a wrong key fails on first use instead of silently never matching (it once said "daphnet").
    /// </summary>
    public static IReadOnlyList<string> QuickPreference { get; } = [DatasetRegistry.Get("uschad").Key, DatasetRegistry.Get("dg").Key];

    /// <summary>
    /// The quick or full plan over the paper datasets present in <paramref name="data"/> (<see cref="DataFolder.Has"/>)
    /// that load and have a runnable fold: each candidate is loaded once (through <see cref="Study.Load"/>, so the
    /// notebooks reuse it); one that fails (e.g. a folder without its signal files) is left out and listed in
    /// <see cref="Skipped"/> with the loader's message, never silently.
    /// </summary>
    public static StudyPlan Create(bool quick, DataFolder data)
    {
        var present = DatasetRegistry.Paper.Where(data.Has).Select(d => d.Key).ToList();
        var config = quick
            ? TrainingConfig.FromPreset("quick") with { Epochs = QuickEpochs, MaxTrainWindows = QuickMaxTrainWindows }
            : TrainingConfig.FromPreset("paper");
        var probe = new StudyPlan(quick, [], quick ? [0] : null, [1], config, data);
        var candidates = quick ? QuickPreference.Where(present.Contains).Concat(present).Distinct() : present;
        var usable = new List<string>();
        var skipped = new List<string>();
        foreach (var key in candidates)
        {
            try
            {
                var loaded = Study.Load(probe, key);
                if (!loaded.RunnableFolds.Any())
                {
                    skipped.Add($"{key}: no runnable fold in {loaded.Root} (fold 0: {loaded.Folds.FirstOrDefault()?.SkipReason ?? "no folds"})");
                    continue;
                }
                usable.Add(key);
                if (quick) break;
            }
            catch (TinierHarException e)
            {
                skipped.Add($"{key}: {e.Message}");
            }
        }
        return probe with { Datasets = usable, Skipped = skipped };
    }

    /// <summary>Datasets present in the data folder but left out, each with the reason ("key: message").</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>True when the plan has at least one dataset to train on.</summary>
    public bool HasData => Datasets.Count > 0;

    /// <summary>What a cell that needs a dataset shows when there is none: what it skipped and how to get one.</summary>
    public string NoData(string what = "this cell") =>
        $"No dataset in {Data?.Root ?? "the data folder"}: {what} needs one and was skipped. {Notebooks.NotebookHost.HowToGetData}.";

    /// <summary>A short HTML description of the plan.</summary>
    public IHtmlContent Describe()
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var c = Config;
        var sb = new StringBuilder("<div style=\"font:13px sans-serif\">");
        sb.Append("<b>").Append(Quick ? "Quick plan" : "Full plan").Append("</b> ")
          .Append(E(Quick ? "(smoke run for CI, not a reproduction)" : "(the reproduction: paper preset)")).Append("<ul>");
        sb.Append("<li>datasets: ").Append(Datasets.Count == 0 ? "<i>none present in the data folder</i>" : E(string.Join(", ", Datasets))).Append("</li>");
        foreach (var skip in Skipped) sb.Append("<li>left out: ").Append(E(skip)).Append("</li>");
        sb.Append("<li>folds: ").Append(E(Folds is null ? "all runnable" : string.Join(", ", Folds))).Append("</li>");
        sb.Append("<li>seeds: ").Append(E(string.Join(", ", Seeds))).Append("</li>");
        sb.Append("<li>training: ").Append(E($"{c.Label} — {c.Epochs} epochs, batch {c.BatchSize}, lr {c.LearningRate}, {c.Dtype}"
            + (c.MaxTrainWindows is int m ? $", at most {m} training windows" : ""))).Append("</li>");
        if (Data is not null) sb.Append("<li>data: ").Append(E(Data.Root)).Append("</li>");
        sb.Append("</ul></div>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>One line per epoch (as <see cref="ConsoleProgress.Line"/>).</summary>
    public static string Describe(TrainingProgress p) => ConsoleProgress.Line(p);
}

/// <summary>An <see cref="IProgress{T}"/> that calls <paramref name="onReport"/> synchronously on the reporting thread
/// (unlike <see cref="Progress{T}"/>, which posts to a synchronisation context), so notebook output stays in order.</summary>
public sealed class InlineProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}

/// <summary>Helpers for <see cref="InlineProgress{T}"/>.</summary>
public static class InlineProgress
{
    /// <summary>One line: fold, seed, epoch/epochs, train loss, val loss, val F1, elapsed, time left (<see cref="ConsoleProgress.Line"/>).</summary>
    public static string Describe(TrainingProgress p) => ConsoleProgress.Line(p);
}
