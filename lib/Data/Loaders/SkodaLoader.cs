using TinierHar.Data.Formats;

namespace TinierHar.Data.Loaders;

/// <summary>
/// Skoda mini checkpoint, right arm (key <c>skodar</c>): <c>right_classall_clean.mat</c> (MATLAB 5), variable
/// <c>right_classall_clean</c>, one row per sample (~98 Hz): column 0 the label, then for each of the 10 sensors
/// s = 0..9 seven columns: sensor id (1+7s), calibrated acc xyz (2+7s .. 4+7s), raw acc xyz (5+7s .. 7+7s).
/// Mirrors <c>dataloaders/dataloader_SKODAR_har.py</c>: the 30 calibrated acc columns (sensor by sensor, x y z) are
/// the channels; raw label = column 0 (32 = null, dropped later; 48..57 the 10 gestures); then every 3rd row from the
/// first is kept (≈33 Hz); one subject (1), one block. No NaN handling.
/// Differences: the reference takes the 4th key of scipy's dict (the only variable); this loader asks for the
/// variable by name. The file is looked for in the root or in <c>SkodaMiniCP/</c> or <c>SkodaMiniCP_2015_08/</c>. No quirks.
/// </summary>
public sealed class SkodaLoader : IDatasetLoader
{
    public const string Variable = "right_classall_clean";
    public const int Step = 3;

    /// <summary>Column of each of the 30 channels: calibrated x, y, z of sensors 1..10.</summary>
    public static readonly int[] ChannelColumns =
        Enumerable.Range(0, 10).SelectMany(s => new[] { 2 + 7 * s, 3 + 7 * s, 4 + 7 * s }).ToArray();

    public IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null)
    {
        var path = DatasetPaths.FindFile(root, "Skoda", "right_classall_clean.mat",
            "SkodaMiniCP/right_classall_clean.mat", "SkodaMiniCP_2015_08/right_classall_clean.mat");
        var m = MatFile.Read(path, Variable).GetMatrix(Variable);
        if (m.Cols < 71)
            throw new TinierHarException($"{path}: variable '{Variable}' is {m.Rows}x{m.Cols}, expected 71 columns (label + 10 sensors x 7)");
        int c = ChannelColumns.Length;
        int n = (m.Rows + Step - 1) / Step;
        var samples = new float[n * c];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = i * Step;
            double label = m[r, 0];
            if (label != Math.Floor(label) || double.IsNaN(label))
                throw new TinierHarException($"{path}: variable '{Variable}' row {r + 1}, column 1: expected an integer label, found {label}");
            labels[i] = (int)label;
            for (int k = 0; k < c; k++) samples[i * c + k] = (float)m[r, ChannelColumns[k]];
        }
        if (Samples.HasNaN(samples))
            throw new TinierHarException($"{path}: variable '{Variable}' contains NaN in the calibrated acc columns; the reference does no NaN handling");
        progress?.Report($"Skoda: {m.Rows} rows, {n} kept (every {Step}rd)");
        return [new Recording(1, "right_classall_clean", samples, c, labels)];
    }
}
