namespace TinierHar.Data.Download;

/// <summary>
/// Where <see cref="DatasetInstaller"/> installs and where it takes archives from.
/// </summary>
/// <param name="DataDir">Absolute data folder; each dataset goes to <c>DataDir/&lt;folder&gt;</c>.</param>
/// <param name="Source">Null: the manifest's URLs. Otherwise a mirror base URL (http/https) or an absolute local folder
/// that holds the archives (and extra files) under their manifest file names, in place of the official URLs.</param>
public sealed record DownloadSettings(string DataDir, string? Source = null)
{
    public bool SourceIsUrl => Source is not null && DownloadManifest.IsHttpUrl(Source);
}
