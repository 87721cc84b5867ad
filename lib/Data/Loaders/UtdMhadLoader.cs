using System.Text.RegularExpressions;

namespace TinierHar.Data.Loaders;

/// <summary>
/// UTD-MHAD inertial (optional 15th dataset, key <c>utdmhad</c>): <c>Inertial/aA_sS_tT_inertial.mat</c>, variable
/// <c>d_iner</c> N×6 (acc xyz in g, gyro xyz in deg/s), 50 Hz.
/// Related reference: <c>dataloaders/dataloader_UTD_MHAD_W_har.py</c> (not one of the paper's 14 datasets). This
/// loader returns every file as one block: subject S, raw label = action A (1..27). It does not reproduce that
/// loader's choices (it keeps only some actions and has a fold typo, docs/reference.md section 4): choosing actions and
/// folds is the registry's job. No NaN handling (the files have none). Files are ordered by subject, action, trial.
/// </summary>
public sealed partial class UtdMhadLoader : IDatasetLoader
{
    public const int ChannelCount = 6;

    [GeneratedRegex(@"^a(\d+)_s(\d+)_t(\d+)_inertial\.mat$")] private static partial Regex InertialFile();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var dir = DatasetPaths.FindDirectory(root, "UTD-MHAD", "Inertial", ".");
        var files = Directory.EnumerateFiles(dir, "*.mat")
            .Select(f => (Path: f, M: InertialFile().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success)
            .Select(x => (x.Path, Action: int.Parse(x.M.Groups[1].Value), Subject: int.Parse(x.M.Groups[2].Value),
                Trial: int.Parse(x.M.Groups[3].Value)))
            .OrderBy(x => x.Subject).ThenBy(x => x.Action).ThenBy(x => x.Trial)
            .ToList();
        DatasetPaths.RequireAny(files, dir, "aA_sS_tT_inertial.mat files");
        return OrderedParallel.Map(files, f => MatRecordings.Read(f.Path, "d_iner", ChannelCount, f.Subject, f.Action,
            $"a{f.Action}_s{f.Subject}_t{f.Trial}"), progress, "UTD-MHAD");
    }
}
