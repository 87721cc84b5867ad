namespace TinierHar.Data;

/// <summary>
/// The folder that holds one sub-folder per dataset (<see cref="DatasetInfo.Folder"/>). Resolved from
/// <c>--data DIR</c>, else the environment variable <c>TINIERHAR_DATA</c>, else <c>data/</c> under the repository root
/// (the nearest folder above the current directory that contains <c>TinierHar.Lib.csproj</c>; the current directory
/// when there is none). The reference instead reads <c>args.root_path</c> + the yaml <c>filename</c>.
/// </summary>
public sealed class DataFolder
{
    public const string EnvironmentVariable = "TINIERHAR_DATA";
    const string RepoMarker = "TinierHar.Lib.csproj";

    public DataFolder(string root, string source)
    {
        Root = Path.GetFullPath(root);
        Source = source;
    }

    /// <summary>Absolute path of the data folder.</summary>
    public string Root { get; }

    /// <summary>Where <see cref="Root"/> came from ("--data", "TINIERHAR_DATA" or "default").</summary>
    public string Source { get; }

    /// <summary>Resolves the data folder (see the class summary).</summary>
    /// <param name="option">Value of <c>--data</c>, or null.</param>
    /// <param name="startDirectory">Where to start looking for the repository root (default: current directory).</param>
    /// <param name="environment">Environment lookup (default: <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    public static DataFolder Resolve(string? option, string? startDirectory = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(option)) return new DataFolder(option, "--data");
        var env = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return new DataFolder(env, EnvironmentVariable);
        return new DataFolder(Path.Combine(RepositoryRoot(startDirectory), "data"), "default");
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that contains <c>TinierHar.Lib.csproj</c>, or null.</summary>
    public static string? FindRepositoryRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start ?? Directory.GetCurrentDirectory())); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RepoMarker))) return dir.FullName;
        return null;
    }

    /// <summary>The repository root, or the start directory (default: current directory) when there is none.</summary>
    public static string RepositoryRoot(string? start = null) =>
        FindRepositoryRoot(start) ?? Path.GetFullPath(start ?? Directory.GetCurrentDirectory());

    /// <summary>Absolute path where the dataset's folder is expected.</summary>
    public string PathOf(DatasetInfo info) => Path.Combine(Root, info.Folder);

    public bool Has(DatasetInfo info) => Directory.Exists(PathOf(info));

    /// <summary>The dataset's folder, or a <see cref="TinierHarException"/> saying where it looked and how to get it.</summary>
    public string Require(DatasetInfo info) => Has(info) ? PathOf(info) : throw new TinierHarException(MissingMessage(info));

    public string MissingMessage(DatasetInfo info) =>
        $"dataset '{info.Key}' ({info.Name}) not found: no folder {PathOf(info)} (data folder from {Source}). " +
        $"Get it with: {DownloadCommand(info.Key)}";

    /// <summary>
    /// The download command for the given keys (null: every dataset), as <c>tinierhar datasets download</c> and as
    /// <c>download-datasets.ps1</c>, with the data folder when it came from <c>--data</c>. One line.
    /// </summary>
    public string DownloadCommand(string? keys)
    {
        var root = Source == "--data" ? $"\"{Root}\"" : null;
        var cli = "dotnet run --project cli -- datasets download" + (keys is null ? "" : $" --datasets {keys}") + (root is null ? "" : $" --data {root}");
        var ps1 = "dotnet tool restore && dotnet pwsh download-datasets.ps1" + (keys is null ? "" : $" -Datasets {keys}") + (root is null ? "" : $" -Data {root}");
        return $"{cli} (or from PowerShell: {ps1})";
    }
}
