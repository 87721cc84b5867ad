using System.Text.RegularExpressions;
using TinierHar.Data;
using TinierHar.Data.Download;

namespace TinierHar.Cli.Commands;

/// <summary>
/// <c>tinierhar datasets download [KEY...] [--datasets KEY[,KEY...]] [--data DIR] [--source DIR_OR_URL] [--manifest FILE] [--list]</c>:
/// installs datasets from their manifest entries (<see cref="DownloadManifest"/>, default the built-in
/// <c>data/datasets.json</c>) with <see cref="DatasetInstaller"/>, one dataset after the other, and ends with one summary line.
/// <c>download-datasets.ps1</c> forwards to it. Errors are lines starting <c>error:</c> on stderr (per dataset:
/// <c>error: [key] name: ...</c>). Exit codes: 0 every requested dataset is present at the end; 1 some failed or need
/// a manual download; 2 bad arguments or manifest (an unknown key lists the valid keys).
/// </summary>
public sealed partial class DatasetsDownloadCommand(TextWriter? stdout = null, TextWriter? stderr = null)
{
    readonly TextWriter _out = stdout ?? Console.Out;
    readonly TextWriter _err = stderr ?? Console.Error;

    public const string Usage =
        "usage: tinierhar datasets download [KEY...] [--datasets KEY[,KEY...]] [--data DIR] [--source DIR_OR_URL] [--manifest FILE] [--list]";

    const string Help = Usage + """


          --datasets  comma list of dataset keys (default: all)
          --data      data folder (default: $TINIERHAR_DATA, else data/ in the repository)
          --source    local folder or mirror base URL holding the archives (by their manifest "archive" name)
          --manifest  dataset manifest (default: data/datasets.json, built into the library)
          --list      show the datasets and whether each is present; download nothing

        Exit codes: 0 all requested datasets present, 1 some failed or need manual steps, 2 bad arguments.
        """;

    /// <summary>How long the server may send nothing before a download stops (tests shorten it).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Run(string[] args)
    {
        Plan plan;
        try
        {
            plan = Parse(args);
        }
        catch (Exception e) when (e is UsageException or TinierHarException)
        {
            _err.WriteLine($"error: {e.Message}");
            _err.WriteLine(Usage);
            return 2;
        }
        if (plan.Help) { _out.WriteLine(Help); return 0; }
        if (plan.Unknown.Count > 0)
        {
            var what = plan.Unknown.Count == 1 ? $"unknown dataset '{plan.Unknown[0]}'" : $"unknown datasets '{string.Join("', '", plan.Unknown)}'";
            _err.WriteLine($"error: {what}. Valid keys: {string.Join(", ", plan.Manifest.Keys)}, all");
            return 2;
        }
        return plan.List ? List(plan) : Install(plan);
    }

    sealed record Plan(DownloadManifest Manifest, IReadOnlyList<DatasetDownload> Selected, IReadOnlyList<string> Unknown,
        DownloadSettings Settings, bool List, bool Help);

    Plan Parse(string[] args)
    {
        var a = new Args(args, new HashSet<string> { "list", "help" });
        bool help = a.Flag("help"), list = a.Flag("list");
        var keys = a.Positionals.Concat(a.Get("datasets") is { } d ? [d] : [])
            .SelectMany(v => KeySeparator().Split(v)).Where(k => k.Length > 0).Select(k => k.ToLowerInvariant()).ToList();
        var dataOption = a.Get("data");
        var sourceOption = a.Get("source");
        var manifestOption = a.Get("manifest");
        a.EnsureAllUsed();
        var manifest = manifestOption is null ? DownloadManifest.BuiltIn : DownloadManifest.Load(manifestOption);
        if (help) return new Plan(manifest, [], [], new DownloadSettings(""), list, true);

        string? source = null;
        if (sourceOption is not null)
        {
            source = DownloadManifest.IsHttpUrl(sourceOption) ? sourceOption : Path.GetFullPath(sourceOption);
            if (!DownloadManifest.IsHttpUrl(source) && !Directory.Exists(source)) throw new UsageException($"source folder not found: {source}");
        }
        var data = DataFolder.Resolve(dataOption).Root.TrimEnd(Path.DirectorySeparatorChar);
        var all = keys.Count == 0 || keys.Contains("all");
        var unknown = all ? [] : keys.Where(k => !manifest.Keys.Contains(k)).Distinct().ToList();
        var selected = manifest.Entries.Where(e => all || keys.Contains(e.Key)).ToList();
        return new Plan(manifest, selected, unknown, new DownloadSettings(data, source), list, false);
    }

    [GeneratedRegex(@"[,;\s]+")]
    private static partial Regex KeySeparator();

    int List(Plan plan)
    {
        _out.WriteLine($"Data folder: {plan.Settings.DataDir}");
        _out.WriteLine($"{"KEY",-12} {"STATUS",-9} {"SOURCE",-7} {"FOLDER",-12} NAME");
        foreach (var e in plan.Selected)
        {
            var status = e.IsInstalledIn(plan.Settings.DataDir) ? "present" : "missing";
            _out.WriteLine($"{e.Key,-12} {status,-9} {(e.Url is null ? "manual" : "auto"),-7} {e.Folder,-12} {e.DisplayName}");
        }
        return 0;
    }

    int Install(Plan plan)
    {
        var dataDir = plan.Settings.DataDir;
        try { Directory.CreateDirectory(dataDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _err.WriteLine($"error: cannot create the data folder {dataDir}: {e.Message}");
            return 1;
        }
        void Log(string line) => _out.WriteLine(line);
        using var http = HttpFetcher.CreateClient();
        var installer = new DatasetInstaller(plan.Settings, new HttpFetcher(http, Log) { IdleTimeout = IdleTimeout }, Log);
        var outcomes = new Dictionary<InstallOutcome, List<string>> { [InstallOutcome.Present] = [], [InstallOutcome.Installed] = [], [InstallOutcome.Manual] = [] };
        var failed = new List<string>();
        foreach (var e in plan.Selected)
        {
            try
            {
                outcomes[installer.InstallAsync(e).GetAwaiter().GetResult()].Add(e.Key);
            }
            catch (Exception ex) when (ex is TinierHarException or IOException or UnauthorizedAccessException)
            {
                _err.WriteLine($"error: [{e.Key}] {e.DisplayName}: {ex.Message}");
                failed.Add(e.Key);
            }
        }
        var manual = outcomes[InstallOutcome.Manual];
        var parts = new List<string> { $"{outcomes[InstallOutcome.Installed].Count} installed", $"{outcomes[InstallOutcome.Present].Count} already present" };
        if (manual.Count > 0) parts.Add($"{manual.Count} need a manual download ({string.Join(", ", manual)})");
        if (failed.Count > 0) parts.Add($"{failed.Count} failed ({string.Join(", ", failed)})");
        _out.WriteLine($"Done: {string.Join(", ", parts)}.");
        return manual.Count > 0 || failed.Count > 0 ? 1 : 0;
    }
}
