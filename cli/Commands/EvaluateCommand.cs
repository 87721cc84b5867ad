using System.Globalization;
using TinierHar.Data;
using TinierHar.Studies;
using TinierHar.Training;

namespace TinierHar.Cli.Commands;

/// <summary><c>tinierhar evaluate --run RUN_DIR [--data DIR] [--cache DIR] [--retrain]</c>: re-tests a stored fold's
/// <c>best.pth</c>, or trains the fold again from its <c>config.json</c> (<see cref="RunEvaluation"/>); exit 1 when the
/// scores or predictions differ from the stored ones.</summary>
public sealed class EvaluateCommand(TextWriter? stdout = null) : ICommand
{
    TextWriter _out => stdout ?? Console.Out;
    bool _interactive => stdout is null && !Console.IsOutputRedirected;

    public string Name => "evaluate";
    public string Summary => "re-test a stored fold's best.pth (or re-train it from its config.json) and compare with the stored scores";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "help", "retrain" });
        if (a.Flag("help"))
        {
            _out.WriteLine("usage: tinierhar evaluate --run RUN_DIR [--data DIR] [--cache DIR] [--retrain]");
            _out.WriteLine("  --retrain  train the fold again from its config.json (for a fold whose best.pth is not kept; as long as its training)");
            return 0;
        }
        var retrain = a.Flag("retrain");
        var run = a.Require("run");
        var data = DataFolder.Resolve(a.Get("data"));
        var cache = WindowCache.Resolve(a.Get("cache"));
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");
        if (!Directory.Exists(run)) throw new UsageException($"option --run: folder '{run}' not found");
        var c = RunEvaluation.Evaluate(run, data, cache, retrain, retrain ? new ConsoleProgress(_out, _interactive) : null);
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{c.Key.RelativeDir}{(c.Retrained ? " (re-trained from config.json)" : "")}: accuracy {c.Accuracy:F4} (stored {c.StoredAccuracy:F4}), macro F1 {c.MacroF1:F4} (stored {c.StoredMacroF1:F4}), {c.TestWindows} test windows, {c.DifferentPredictions} prediction(s) differ"));
        _out.WriteLine(c.Matches ? "reproduced" : "DIFFERENT from the stored result");
        return c.Matches ? 0 : 1;
    }
}
