namespace TinierHar.Data;

/// <summary>
/// One block of contiguous samples, as the reference cuts windows inside it: a file, a trial, a segment or a
/// subject's whole stream, depending on the dataset (docs/reference.md section 4, "block = ...").
/// </summary>
/// <param name="Subject">Subject id as the dataset numbers them (1-based where the dataset is).</param>
/// <param name="Block">A stable, human-readable id of the block (e.g. "Subject3/a1t2.mat").</param>
/// <param name="Samples">Row-major samples, <c>Length × Channels</c>, in the registry's channel order.</param>
/// <param name="Channels">Number of channels C.</param>
/// <param name="Labels">Per-sample RAW label ids as the dataset writes them (before dropping and remapping):
/// the window label is the mode of these raw ids (ties to the smallest raw id), then mapped to 0..K-1.</param>
public sealed record Recording(int Subject, string Block, float[] Samples, int Channels, int[] Labels)
{
    public int Length => Labels.Length;
}

/// <summary>Options every loader honours.</summary>
/// <param name="ReferenceQuirks">Reproduce the reference code's quirks (default). False applies the documented
/// corrections, e.g. DSADS's duplicated magnetometer column.</param>
public sealed record LoaderOptions(bool ReferenceQuirks = true);

/// <summary>Reads one dataset from its original published files.</summary>
public interface IDatasetLoader
{
    /// <summary>
    /// Reads every recording found below <paramref name="root"/> (the dataset's folder in the data folder), in a
    /// deterministic order, applying the dataset's column selection, NaN handling and resampling as docs/reference.md section 4 says.
    /// A subset of subjects is fine: absent subjects are simply not returned. Throws
    /// <see cref="TinierHarException"/> naming file and line (or byte offset) on malformed input.
    /// </summary>
    IReadOnlyList<Recording> Load(string root, LoaderOptions options, IProgress<string>? progress = null);
}
