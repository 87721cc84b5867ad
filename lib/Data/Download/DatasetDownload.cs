namespace TinierHar.Data.Download;

/// <summary>How an archive's content maps onto the data folder (the manifest's <c>extract</c>).</summary>
public enum ExtractMode
{
    /// <summary><c>into-folder</c>: the archive's content goes into <c>&lt;data&gt;/&lt;folder&gt;/</c>.</summary>
    IntoFolder,
    /// <summary><c>into-data</c>: the archive itself has a top-level <c>&lt;folder&gt;/</c>, which becomes <c>&lt;data&gt;/&lt;folder&gt;/</c>.</summary>
    IntoData,
}

/// <summary>A plain file downloaded beside the archive and copied into the dataset's folder (the manifest's <c>extra</c>).</summary>
public sealed record ExtraFile(string File, string Url, string? Sha256);

/// <summary>
/// One dataset's download facts, one entry of <c>data/datasets.json</c> (<see cref="DownloadManifest"/>): the one place
/// for a dataset's key, folder, archive URL and file name, checksum, extract mode and marker file.
/// <see cref="DatasetInfo"/> takes its <see cref="DatasetInfo.Key"/> and <see cref="DatasetInfo.Folder"/> from here.
/// </summary>
public sealed record DatasetDownload
{
    /// <summary>Registry key (lower case), e.g. <c>uschad</c>.</summary>
    public required string Key { get; init; }
    /// <summary>Display name for download messages; null in the repository's manifest (the registry names its datasets).</summary>
    public string? Name { get; init; }
    /// <summary>Folder name inside the data folder (e.g. <c>USC-HAD</c>).</summary>
    public required string Folder { get; init; }
    /// <summary>Official archive URL; null when the archive must be fetched by hand (<see cref="Manual"/>).</summary>
    public string? Url { get; init; }
    /// <summary>Archive file name (.zip, .tar, .tar.gz or .tgz), also its name in the data and source folders.</summary>
    public string? Archive { get; init; }
    /// <summary>Expected SHA-256 of the archive (64 lower-case hex digits), or null when none is pinned.</summary>
    public string? Sha256 { get; init; }
    public ExtractMode Extract { get; init; } = ExtractMode.IntoFolder;
    /// <summary>Archives inside the archive to extract in place (e.g. PAMAP2's <c>PAMAP2_Dataset.zip</c>).</summary>
    public IReadOnlyList<string> Inner { get; init; } = [];
    public IReadOnlyList<ExtraFile> Extra { get; init; } = [];
    /// <summary>A file, relative to the data folder with '/', whose presence means the dataset is installed.</summary>
    public required string Marker { get; init; }
    /// <summary>Instructions for a manual download (<c>{data}</c> stands for the data folder), or null.</summary>
    public string? Manual { get; init; }

    /// <summary>True when <see cref="Marker"/> exists below <paramref name="dataDir"/>: the dataset is installed there.</summary>
    public bool IsInstalledIn(string dataDir)
    {
        var marker = Path.Combine(dataDir, Marker);
        return File.Exists(marker) || Directory.Exists(marker);
    }

    /// <summary>The name download messages use: <see cref="Name"/>, else the registry's name, else the key.</summary>
    public string DisplayName => Name ?? (DatasetRegistry.TryGet(Key, out var info) ? info.Name : Key);
}
