using System.Globalization;
using TinierHar.Analysis;
using TinierHar.Training;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar results [--out DIR]</c>: dataset × model summary of <c>results.csv</c> (mean ± sample std of macro F1
/// over folds × the seeds <see cref="RunStore.Pool"/> pools, with counts), one line per (dataset, model, variant, preset). With <c>--markdown</c>: the README's
/// Results tables of a study folder (<see cref="StudyResults.Markdown"/>).
/// </summary>
public sealed class ResultsCommand(TextWriter? stdout = null) : ICommand
{
    // Read the console when used, not when constructed: CliApp's command list is static and tests redirect the console.
    TextWriter _out => stdout ?? Console.Out;

    public string Name => "results";
    public string Summary => "summarise results.csv: mean ± std macro F1 per dataset and model";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "help", "markdown" });
        if (a.Flag("help")) { _out.WriteLine("usage: tinierhar results [--out DIR] [--markdown]"); return 0; }
        var store = RunStore.Resolve(a.Get("out"));
        var markdown = a.Flag("markdown");
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
        if (!File.Exists(store.ResultsPath)) throw new UsageException($"no results in {store.Root} ({RunStore.ResultsFile} not found); run 'tinierhar train' first or give --out");
        if (markdown) { _out.Write(StudyResults.Open(store.Root).Markdown()); return 0; }
        var summary = RunStore.Summarize(store.ReadResults());
        _out.WriteLine($"{"dataset",-12} {"model",-26} {"preset",-16} {"macro F1",-17} {"folds",5} {"seeds",5} {"runs",5}  accuracy  weighted F1");
        foreach (var s in summary)
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Dataset,-12} {s.Model + "-" + s.Variant,-26} {s.Preset,-16} {Metrics.MeanSpread(s.MeanMacroF1, s.StdMacroF1, s.Runs, 4),-17} {s.Folds,5} {s.Seeds,5} {s.Runs,5}  {s.MeanAccuracy,8:F4}  {s.MeanWeightedF1,11:F4}") +
                (s.NotPooled > 0 ? $"  (+{s.NotPooled} run(s) of unfinished seed(s) {s.UnfinishedSeeds}, not in the mean)" : ""));
        return 0;
    }
}
