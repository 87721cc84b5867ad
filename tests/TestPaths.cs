namespace TinierHar.Tests;

/// <summary>
/// Where the read-only shared files are: the folder <c>shared/</c> that lies beside the repository
/// (<c>shared/reference</c>, <c>shared/datasets</c>). Taken from the environment variable
/// <c>TINIERHAR_SHARED</c> if set (the shared folder or its datasets folder), otherwise found by walking up from the test binaries
/// (<see cref="AppContext.BaseDirectory"/>) to the first folder that has a <c>shared/reference</c> subfolder.
/// </summary>
public static class TestPaths
{
    private static readonly Lazy<string> SharedFolder = new(FindShared);

    /// <summary>The shared folder (holds <c>reference/</c> and <c>datasets/</c>).</summary>
    public static string Shared => SharedFolder.Value;

    /// <summary><c>shared/reference</c>: golden files of the reference implementation.</summary>
    public static string Reference => Path.Combine(Shared, "reference");

    /// <summary><c>shared/datasets</c>: the raw data sets.</summary>
    public static string Datasets => Path.Combine(Shared, "datasets");

    private static string FindShared()
    {
        var fromEnv = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            var full = Path.GetFullPath(fromEnv);
            if (!Directory.Exists(full))
                throw new DirectoryNotFoundException($"TINIERHAR_SHARED={fromEnv} is not a folder");
            // Accept the shared folder itself or its datasets folder.
            return Path.GetFileName(full) == "datasets" && !Directory.Exists(Path.Combine(full, "datasets"))
                ? Path.GetDirectoryName(full)!
                : full;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "reference")))
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"no folder shared/reference found above {AppContext.BaseDirectory}; set TINIERHAR_SHARED to the shared folder");
    }
}
