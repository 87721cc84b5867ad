namespace TinierHar.Tests.Data;

/// <summary>
/// Finds the read-only real datasets in shared/datasets: $TINIERHAR_SHARED (the shared folder, or its datasets folder),
/// else the first folder up from the test binaries that has shared/datasets in it (the repo sits beside shared/).
/// </summary>
internal static class MatTestPaths
{
    static readonly Lazy<string> datasets = new(Find);

    public static string Datasets => datasets.Value;
    public static string UscHad => Path.Combine(Datasets, "USC-HAD");
    public static string UtdMhadInertial => Path.Combine(Datasets, "UTD-MHAD", "Inertial");

    static string Find()
    {
        var env = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            foreach (var candidate in new[] { Path.Combine(env, "datasets"), env })
                if (Directory.Exists(Path.Combine(candidate, "USC-HAD"))) return candidate;
            throw new InvalidOperationException($"TINIERHAR_SHARED={env} has no datasets/USC-HAD");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"no shared/datasets folder found above {AppContext.BaseDirectory}; set TINIERHAR_SHARED to the shared folder");
    }
}
