using System.Diagnostics;
using System.Globalization;
using TinierHar.Cli.Workbook;
using TinierHar.Data;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar workbook [--quick] [--data DIR] [--notebooks DIR] [--out DIR] [--figures DIR] [--runs DIR] [--study DIR] [--only PREFIX,...]</c>:
/// runs the notebooks <c>NN-name.ipynb</c> in name order, each in a fresh in-process C# kernel (<see cref="NotebookRunner"/>),
/// and writes the executed copies to <c>--out</c>. The overrides go into each notebook's parameters cell. Exit 0 when
/// every notebook passed, 1 when one failed, 2 on bad input or Ctrl+C (rerunning resumes: training continues from its
/// run folders).
/// </summary>
/// <param name="stdout">Where to print (default: the console when used).</param>
/// <param name="stderr">Where to print the Ctrl+C line (default: the console's error stream when the command starts).</param>
/// <param name="liveStatus">Show the in-place status line (default: when printing to a console that is not redirected).</param>
public sealed class WorkbookCommand(TextWriter? stdout = null, TextWriter? stderr = null, bool? liveStatus = null) : ICommand
{
    // Read the console when used: CliApp's command list is static and tests redirect the console.
    TextWriter _out => stdout ?? Console.Out;
    TextWriter _err => stderr ?? Console.Error;

    public string Name => "workbook";
    public string Summary => "run the notebooks (notebooks/NN-*.ipynb) headless; executed copies in out/workbook";

    const string Usage = "usage: tinierhar workbook [--quick] [--data DIR] [--notebooks DIR] [--out DIR] [--figures DIR] [--runs DIR] [--study DIR] [--only PREFIX,...]";

    public int Run(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "quick", "help" });
        if (a.Flag("help")) { _out.WriteLine(Usage); return 0; }
        var repo = DataFolder.RepositoryRoot();
        bool quick = a.Flag("quick");
        var data = DataFolder.Resolve(a.Get("data"));
        string Folder(string option, string fallback) => Path.GetFullPath(a.Get(option) ?? Path.Combine(repo, fallback));
        var notebooksDir = Folder("notebooks", "notebooks");
        var outDir = Folder("out", Path.Combine("out", "workbook"));
        var figuresDir = Folder("figures", "figures");
        var runsDir = Folder("runs", "runs");
        var studyDir = Folder("study", "results");
        var only = a.Get("only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        a.EnsureAllUsed();
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}'");

        var notebooks = FindNotebooks(notebooksDir, only);
        foreach (var notebook in notebooks) NotebookFile.Load(notebook); // malformed files stop the run before anything runs
        var parameters = new Dictionary<string, object?>
        {
            ["Quick"] = quick,
            ["DataDir"] = data.Root,
            ["RunsDir"] = runsDir,
            ["StudyDir"] = studyDir,
            ["FiguresDir"] = figuresDir,
        };
        var haveData = ReportDatasets(data);
        return RunAll(notebooks, parameters, outDir, haveData ? null : new HashSet<string> { NotebookRunner.NeedsDataTag });
    }

    /// <summary>The notebooks <c>[0-9][0-9]-*.ipynb</c> in name order, optionally only those whose name starts with one of the prefixes.</summary>
    public static IReadOnlyList<string> FindNotebooks(string folder, IReadOnlyList<string>? only = null)
    {
        if (!Directory.Exists(folder)) throw new UsageException($"notebooks folder {folder} not found (give --notebooks DIR)");
        var all = Directory.GetFiles(folder, "*.ipynb")
            .Where(f => Path.GetFileName(f) is var n && n.Length > 3 && char.IsAsciiDigit(n[0]) && char.IsAsciiDigit(n[1]) && n[2] == '-')
            .Order(StringComparer.Ordinal)
            .ToList();
        if (all.Count == 0) throw new UsageException($"no notebooks (NN-name.ipynb) in {folder}");
        if (only is null || only.Count == 0) return all;
        foreach (var prefix in only)
            if (!all.Any(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                throw new UsageException($"--only: no notebook in {folder} starts with '{prefix}'");
        return all.Where(f => only.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>Prints which datasets the data folder holds; false when it holds none.</summary>
    bool ReportDatasets(DataFolder data)
    {
        var present = DatasetRegistry.All.Where(data.Has).Select(d => d.Key).ToList();
        if (present.Count == 0)
        {
            _out.WriteLine($"no datasets found in {data.Root} (data folder from {data.Source}); the notebooks run only the parts that need no data. " +
                           $"Get them with: {data.DownloadCommand(null)}; see data/README.md");
        }
        else
            _out.WriteLine($"datasets in {data.Root} ({present.Count} of {DatasetRegistry.All.Count}): {string.Join(", ", present)}");
        return present.Count > 0;
    }

    int RunAll(IReadOnlyList<string> notebooks, IReadOnlyDictionary<string, object?> parameters, string outDir, IReadOnlySet<string>? skip)
    {
        // The console as it is now: the kernel installs its own capturing writers in Console.Out/Error (and they must stay,
        // it keeps static state about them), so everything the command prints goes to these.
        var (output, error) = (_out, _err);
        bool live = liveStatus ?? (stdout is null && !Console.IsOutputRedirected);
        int width = notebooks.Max(n => Path.GetFileNameWithoutExtension(n).Length);
        int passed = 0, failed = 0;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            output.WriteLine($"running {notebooks.Count} notebook(s); executed copies go to {outDir}");
            foreach (var path in notebooks)
            {
                var name = Path.GetFileNameWithoutExtension(path);
                var target = Path.Combine(outDir, name + ".ipynb");
                using var status = live ? new StatusLine(output, name) : null;
                var result = NotebookRunner.RunAsync(path, parameters, target, cancel.Token, (cell, code) => status?.SetCell(cell, code), skip, "no dataset present")
                    .GetAwaiter().GetResult();
                status?.Dispose();
                output.WriteLine(Line(result, width));
                if (result.Cancelled)
                {
                    output.WriteLine($"{passed} passed, {failed + 1} failed");
                    error.WriteLine($"tinierhar {Name}: cancelled in {name}; the partial notebook is {target}; rerunning resumes (training continues from its run folders)");
                    return 2;
                }
                if (result.Passed) passed++; else failed++;
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
        output.WriteLine($"{passed} passed, {failed} failed");
        output.WriteLine($"executed notebooks: {outDir}");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The console line for one notebook, e.g. <c>01-data   passed   14 cells   32.1 s</c>.</summary>
    public static string Line(NotebookResult r, int width)
    {
        var seconds = r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        var note = (r.ParametersInjected ? "" : "   (no parameters cell: nothing injected)") +
                   (r.SkippedCells > 0 ? $"   ({r.SkippedCells} cell(s) skipped: no dataset present)" : "");
        if (r.Passed) return $"{r.Name.PadRight(width)}   passed   {r.Cells} cells   {seconds} s{note}";
        var where = r.FailedCell switch
        {
            null => "",
            0 => "injected parameters cell: ",
            _ => $"cell {r.FailedCell} (code cell {r.FailedCodeCell}): ",
        };
        return $"{r.Name.PadRight(width)}   {(r.Cancelled ? "CANCELLED" : "FAILED")}   {where}{r.Error}   {seconds} s{note}";
    }

    /// <summary>The in-place <c>\r</c> status line shown on an interactive terminal while a notebook runs.</summary>
    sealed class StatusLine : IDisposable
    {
        readonly TextWriter _writer;
        readonly string _name;
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly Timer _timer;
        readonly Lock _lock = new();
        string _cell = "starting kernel";
        int _lastLength;
        bool _done;

        public StatusLine(TextWriter writer, string name)
        {
            (_writer, _name) = (writer, name);
            _timer = new Timer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }

        public void SetCell(int cell, int code)
        {
            _cell = cell == 0 ? "injected parameters" : $"cell {cell} (code cell {code})";
            Draw();
        }

        void Draw()
        {
            lock (_lock)
            {
                if (_done) return;
                var text = $"{_name}   {_cell}   {_clock.Elapsed.TotalSeconds:F0} s";
                _writer.Write("\r" + text.PadRight(_lastLength));
                _writer.Flush();
                _lastLength = text.Length;
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            lock (_lock)
            {
                if (_done) return;
                _done = true;
                _writer.Write("\r" + new string(' ', _lastLength) + "\r");
                _writer.Flush();
            }
        }
    }
}
