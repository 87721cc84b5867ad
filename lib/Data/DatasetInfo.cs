using TinierHar.Data.Download;

namespace TinierHar.Data;

/// <summary>How the reference cross-validates a dataset (docs/reference.md section 5, <c>exp_mode</c>).</summary>
public enum CvScheme
{
    /// <summary>Leave-one-group-out over subject groups (<c>LOCV_keys</c>): each fold tests one group of subjects.</summary>
    Locv,
    /// <summary>Skoda only: 5 folds over a seeded shuffle of all window indices (overlapping windows may straddle folds).</summary>
    Socv,
}

/// <summary>One entry of a dataset's label map: a raw label id (see <see cref="DatasetInfo.LabelMap"/>) and its name.</summary>
public sealed record LabelEntry(int RawId, string Name);

/// <summary>
/// Everything the data layer needs to know about one dataset, as the reference uses it
/// (reference: <c>configs/data.yaml</c> for rate and window, <c>dataloaders/dataloader_*_har.py</c> for channels, label
/// maps, dropped classes and <c>LOCV_keys</c>; docs/reference.md sections 4 and 5). Instances live in <see cref="DatasetRegistry"/>.
/// </summary>
/// <remarks>
/// <para><b>Raw label ids.</b> <see cref="Recording.Labels"/> carries raw ids. Where the dataset itself numbers its labels
/// (a label column, an activity number in a file or folder name) the raw id is that number: dg 0–2, dsads 1–19 (folder
/// <c>a01</c>…<c>a19</c>; the reference's own map uses 0–18 in the same order), hapt 0–12, mhealth 0–12, oppo 0 and
/// 4xxxxx, pamap2 0–24, skodar 32 and 48–57, uci 1–6, uschad 1–12, utdmhad 1–27. Where the dataset writes names
/// (motionsense, recgym, rw, sho, wisdm) the raw id is the integer key of the reference's <c>label_map</c>, i.e. the
/// 0-based position in <see cref="LabelMap"/>.</para>
/// <para><b>Label map order</b> is the reference's <c>label_map</c> order including dropped ids. It decides two things:
/// window-label ties (the reference takes the mode of ids already mapped to label-map positions, so ties go to the
/// entry that comes first here, which is the smallest raw id for every dataset except oppo) and the class index
/// 0..K−1 (label-map order minus <see cref="DroppedRawIds"/>).</para>
/// </remarks>
public sealed record DatasetInfo
{
    /// <summary>The dataset's entry of <c>data/datasets.json</c> (<see cref="DownloadManifest"/>): key, folder, archive, marker.</summary>
    public required DatasetDownload Download { get; init; }
    /// <summary>Registry key, as the reference's <c>data_name</c> (e.g. <c>dsads</c>); from <see cref="Download"/>.</summary>
    public string Key => Download.Key;
    public required string Name { get; init; }
    /// <summary>Folder name inside the data folder (e.g. <c>USC-HAD</c>), from <see cref="Download"/>; the loader receives that folder as its root.</summary>
    public string Folder => Download.Folder;
    /// <summary>Sampling rate as the reference uses it (yaml <c>sampling_freq</c>; 33 for the 1-in-3 downsampled sets).</summary>
    public required double SamplingHz { get; init; }
    /// <summary>Window length in seconds (yaml <c>window_seconds</c>).</summary>
    public required double WindowSeconds { get; init; }
    /// <summary>Window length T in samples = int(WindowSeconds × SamplingHz), stored explicitly (checked by a test).</summary>
    public required int WindowT { get; init; }
    /// <summary>Channel names, C of them, in the reference's column order.</summary>
    public required IReadOnlyList<string> ChannelNames { get; init; }
    /// <summary>Full label map in the reference's order, dropped ids included.</summary>
    public required IReadOnlyList<LabelEntry> LabelMap { get; init; }
    /// <summary>Raw ids whose windows are discarded (the reference's <c>drop_activities</c>).</summary>
    public required IReadOnlyList<int> DroppedRawIds { get; init; }
    /// <summary>All subject ids of the complete dataset (the reference's <c>all_keys</c>).</summary>
    public required IReadOnlyList<int> Subjects { get; init; }
    public required CvScheme Scheme { get; init; }
    /// <summary>LOCV: the test subject group of each fold, in fold order. Empty for SOCV.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> TestGroups { get; init; }
    /// <summary>SOCV: number of random folds (5). Zero for LOCV.</summary>
    public int SocvFolds { get; init; }
    /// <summary>The dataset's landing page.</summary>
    public required string Homepage { get; init; }
    /// <summary>Which files the loader reads below <see cref="Folder"/>.</summary>
    public required string Layout { get; init; }
    public required string License { get; init; }
    public required string Citation { get; init; }
    /// <summary>Reference quirks and deliberate differences, one line each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>True for datasets that are not one of the paper's 14 (UTD-MHAD).</summary>
    public bool Extra { get; init; }
    /// <summary>Creates the dataset's loader (a class in <c>TinierHar.Data.Loaders</c>).</summary>
    public required Func<IDatasetLoader> LoaderFactory { get; init; }
    /// <summary>Bump when the loader's output changes: part of the cache key, so old caches are rebuilt.</summary>
    public int LoaderVersion { get; init; } = 1;

    public int C => ChannelNames.Count;
    public int K => ClassNames.Count;
    /// <summary>Sliding step int(0.5·T).</summary>
    public int Step => (int)(0.5 * WindowT);
    public int FoldCount => Scheme == CvScheme.Locv ? TestGroups.Count : SocvFolds;

    /// <summary>Class names in class-index order (label map minus dropped ids).</summary>
    public IReadOnlyList<string> ClassNames => LabelMap.Where(e => !DroppedRawIds.Contains(e.RawId)).Select(e => e.Name).ToArray();

    /// <summary>Raw id of each class index.</summary>
    public IReadOnlyList<int> ClassRawIds => LabelMap.Where(e => !DroppedRawIds.Contains(e.RawId)).Select(e => e.RawId).ToArray();

    /// <summary>A new instance of the dataset's loader.</summary>
    public IDatasetLoader CreateLoader() => LoaderFactory();

    public override string ToString() => $"{Key} ({Name}; T={WindowT}, C={C}, K={K})";
}
