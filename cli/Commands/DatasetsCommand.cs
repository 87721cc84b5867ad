using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinierHar.Data;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar datasets [--data DIR] [--cache DIR] [--json]</c>: lists every registry dataset (found or missing, where it
/// looked, subjects, recordings, samples, windows per class and per fold).
/// <c>tinierhar datasets prepare NAME|all [--data DIR] [--cache DIR]</c>: builds the caches, one line per dataset.
/// Listing also reads (and, on a miss, writes) the cache, since it needs the windows; it exits 0 and shows a dataset
/// that cannot be read as "error: ..." on its entry. <c>prepare</c> exits 2 when a dataset cannot be read (for
/// <c>all</c>: after trying every found dataset; missing datasets are only reported).
/// <c>tinierhar datasets download ...</c>: installs datasets from the manifest (<see cref="DatasetsDownloadCommand"/>).
/// </summary>
public sealed partial class DatasetsCommand(TextWriter? stdout = null, TextWriter? stderr = null, IReadOnlyList<DatasetInfo>? registry = null) : ICommand
{
    readonly TextWriter _out = stdout ?? Console.Out;
    readonly TextWriter _err = stderr ?? Console.Error;
    readonly bool _interactive = stdout is null && !Console.IsOutputRedirected;
    readonly IReadOnlyList<DatasetInfo> _registry = registry ?? DatasetRegistry.All;

    public string Name => "datasets";
    public string Summary => "list the datasets (found/missing, windows per fold); 'datasets prepare NAME|all' builds the caches; 'datasets download' fetches them";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    static string N(long? n) => n?.ToString("N0", Inv) ?? "-";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "download") return new DatasetsDownloadCommand(_out, _err).Run(args[1..]);
        var a = new Args(args, new HashSet<string> { "json", "help" });
        if (a.Flag("help"))
        {
            _out.WriteLine("usage: tinierhar datasets [--data DIR] [--cache DIR] [--json]\n       tinierhar datasets prepare NAME|all [--data DIR] [--cache DIR]\n" +
                "       " + DatasetsDownloadCommand.Usage["usage: tinierhar ".Length..]);
            return 0;
        }
        var data = DataFolder.Resolve(a.Get("data"));
        var cache = WindowCache.Resolve(a.Get("cache"));
        if (a.Positionals.Count > 0 && a.Positionals[0] == "prepare")
        {
            if (a.Positionals.Count != 2) throw new UsageException($"usage: datasets prepare NAME|all (names: {ValidNames})");
            a.EnsureAllUsed();
            return Prepare(a.Positionals[1], data, cache);
        }
        if (a.Positionals.Count > 0) throw new UsageException($"unexpected argument '{a.Positionals[0]}' (did you mean 'datasets prepare {a.Positionals[0]}'?)");
        bool json = a.Flag("json");
        a.EnsureAllUsed();
        return List(data, cache, json);
    }

    string ValidNames => string.Join(", ", _registry.Select(d => d.Key));

    IReadOnlyList<DatasetInfo> Select(string name)
    {
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase)) return _registry;
        var found = _registry.FirstOrDefault(d => d.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        return found is null ? throw new UsageException($"unknown dataset '{name}' (valid: {ValidNames}, all)") : [found];
    }

    int Prepare(string name, DataFolder data, WindowCache cache)
    {
        var selected = Select(name);
        bool single = selected.Count == 1 && !name.Equals("all", StringComparison.OrdinalIgnoreCase);
        int failures = 0;
        foreach (var info in selected)
        {
            if (!data.Has(info))
            {
                if (single) throw new TinierHarException(data.MissingMessage(info));
                _out.WriteLine($"{info.Key}: missing (looked for {data.PathOf(info)})");
                continue;
            }
            var progress = new ProgressLine(info.Key, _out, _interactive);
            try
            {
                var d = LoadedDataset.Load(info, data, cache, progress: progress);
                progress.Clear();
                var how = d.FromCache ? "cache up to date"
                    : $"cache written (was {d.Cache?.Outcome.ToString().ToLowerInvariant()}{(d.Cache?.Reason is { } why ? ": " + why : "")})";
                _out.WriteLine($"{info.Key}: {N(d.Recordings.Count)} recordings, {N(d.SampleCount)} samples, {N(d.Windows.Count)} windows, " +
                    $"subjects [{string.Join(",", d.SubjectsPresent)}]; {how}: {cache.FileFor(info, new LoaderOptions())} ({d.LoadTime.TotalSeconds.ToString("F1", Inv)} s)");
            }
            catch (TinierHarException e) when (!single)
            {
                progress.Clear();
                _out.WriteLine($"{info.Key}: error: {e.Message}");
                failures++;
            }
        }
        return failures > 0 ? 2 : 0;
    }

    int List(DataFolder data, WindowCache cache, bool json)
    {
        var reports = _registry.Select(info => Survey(info, data, cache)).ToList();
        if (json)
        {
            var doc = new
            {
                dataFolder = data.Root, dataFolderSource = data.Source, cacheFolder = cache.Directory,
                datasets = reports,
            };
            _out.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        }
        else
        {
            _out.WriteLine($"data folder: {data.Root} (from {data.Source})");
            _out.WriteLine($"cache folder: {cache.Directory}");
            foreach (var r in reports) WriteText(r);
            var missing = reports.Where(r => !r.Found).Select(r => r.Key).ToList();
            if (missing.Count > 0)
                _out.WriteLine($"get missing datasets with: {data.DownloadCommand(string.Join(",", missing))}");
        }
        return 0;
    }

    /// <summary>One dataset's listing entry (also the JSON shape).</summary>
    public sealed record DatasetReport(string Key, string Name, string Folder, string Path, bool Found, string? Error,
        int WindowT, int Channels, int Classes, string Scheme,
        IReadOnlyList<int>? SubjectsPresent, int? Recordings, long? Samples, int? Windows, bool? FromCache,
        IReadOnlyDictionary<string, int>? ClassCounts, IReadOnlyList<FoldReport>? Folds);

    /// <summary>One fold's listing entry.</summary>
    public sealed record FoldReport(int Index, IReadOnlyList<int> TestGroup, IReadOnlyList<int> TestSubjects, IReadOnlyList<int> TrainSubjects,
        string Status, string? SkipReason, int Train, int Validation, int Test, IReadOnlyDictionary<string, int>? TestClassCounts);

    DatasetReport Survey(DatasetInfo info, DataFolder data, WindowCache cache)
    {
        var path = data.PathOf(info);
        DatasetReport Empty(bool found, string? error) => new(info.Key, info.Name, info.Folder, path, found, error,
            info.WindowT, info.C, info.K, info.Scheme.ToString().ToUpperInvariant(), null, null, null, null, null, null, null);
        if (!data.Has(info)) return Empty(false, null);
        LoadedDataset d;
        try { d = LoadedDataset.Load(info, data, cache); }
        catch (TinierHarException e) { return Empty(true, e.Message); }
        var names = info.ClassNames;
        IReadOnlyDictionary<string, int> ByName(int[] counts) => names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => counts[p.i]);
        var folds = d.Folds.Select(f =>
        {
            // Per-class test counts of an SOCV fold depend on the seed's shuffle: not listed.
            IReadOnlyDictionary<string, int>? testCounts = null;
            if (info.Scheme == CvScheme.Locv)
            {
                var testSet = f.TestSubjects.ToHashSet();
                var counts = new int[info.K];
                for (int w = 0; w < d.Windows.Count; w++) if (testSet.Contains(d.Windows.Subject[w])) counts[d.Windows.Label[w]]++;
                testCounts = ByName(counts);
            }
            return new FoldReport(f.Index, f.TestGroup, f.TestSubjects, f.TrainSubjects, f.Status.ToString(), f.SkipReason,
                f.TrainWindows, f.ValidationWindows, f.TestWindows, testCounts);
        }).ToList();
        return new DatasetReport(info.Key, info.Name, info.Folder, path, true, null, info.WindowT, info.C, info.K,
            info.Scheme.ToString().ToUpperInvariant(), d.SubjectsPresent, d.Recordings.Count, d.SampleCount, d.Windows.Count, d.FromCache,
            ByName(d.Windows.ClassCounts(info.K)), folds);
    }

    void WriteText(DatasetReport r)
    {
        var head = $"{r.Key,-12} {r.Name}  (T={r.WindowT}, C={r.Channels}, K={r.Classes}, {r.Scheme})";
        if (!r.Found) { _out.WriteLine($"{head}\n  missing: looked for {r.Path}"); return; }
        if (r.Error is not null) { _out.WriteLine($"{head}\n  found at {r.Path}; error: {r.Error}"); return; }
        _out.WriteLine(head);
        _out.WriteLine($"  found at {r.Path}{(r.FromCache == true ? " (from cache)" : "")}: subjects [{string.Join(",", r.SubjectsPresent!)}], " +
            $"{N(r.Recordings)} recordings, {N(r.Samples)} samples, {N(r.Windows)} windows");
        _out.WriteLine($"  per class: {string.Join(", ", r.ClassCounts!.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var f in r.Folds!)
        {
            var what = r.Scheme == "SOCV" ? $"fold {f.Index} (random)" : $"fold {f.Index} test [{string.Join(",", f.TestGroup)}]";
            _out.WriteLine(f.SkipReason is null
                ? $"  {what}: train {N(f.Train)} / validation {N(f.Validation)} / test {N(f.Test)}"
                : $"  {what}: skipped ({f.SkipReason})");
        }
    }

    /// <summary>Shows a loader's "i/n ..." progress messages as a percentage on one line (terminal only).</summary>
    sealed partial class ProgressLine(string key, TextWriter output, bool interactive) : IProgress<string>
    {
        bool _dirty;
        int _lastPercent = -1;

        public void Report(string value)
        {
            var m = Fraction().Match(value);
            if (!interactive) return;
            string text;
            if (m.Success && long.TryParse(m.Groups[1].Value, Inv, out var i) && long.TryParse(m.Groups[2].Value, Inv, out var n) && n > 0)
            {
                int pct = (int)(100 * Math.Clamp(i, 0, n) / n);
                if (pct == _lastPercent) return;
                _lastPercent = pct;
                text = $"{key}: loading {pct}%";
            }
            else text = $"{key}: {value}";
            output.Write($"\r{text,-79}");
            _dirty = true;
        }

        public void Clear()
        {
            if (_dirty) output.Write($"\r{new string(' ', 79)}\r");
            _dirty = false;
        }

        [GeneratedRegex(@"(\d+)\s*/\s*(\d+)")]
        private static partial Regex Fraction();
    }
}
