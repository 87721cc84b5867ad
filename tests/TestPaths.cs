namespace TinierHar.Tests;

/// <summary>Locates the read-only <c>shared/</c> folder (reference files, real datasets) beside the repository.</summary>
public static class TestPaths
{
    static readonly Lazy<string> _shared = new(() =>
    {
        var env = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "reference"))) return candidate;
        }
        throw new DirectoryNotFoundException("shared/ (reference and datasets) not found above " + AppContext.BaseDirectory + "; set TINIERHAR_SHARED");
    });

    public static string Shared => _shared.Value;
    public static string Reference => Path.Combine(Shared, "reference");
    public static string Datasets => Path.Combine(Shared, "datasets");
}
