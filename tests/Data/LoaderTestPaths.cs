namespace TinierHar.Tests.Data;

/// <summary>Where the loader tests find the shared real datasets and the hand-written fixtures.</summary>
internal static class LoaderTestPaths
{
    private static readonly Lazy<string> SharedDatasetsDir = new(FindSharedDatasets);
    private static readonly Lazy<string> FixturesDir = new(FindFixtures);

    /// <summary><c>.../shared/datasets</c>: env TINIERHAR_SHARED (the shared folder, or its datasets folder), else
    /// the first ancestor of the test binary's folder that has <c>shared/datasets</c>.</summary>
    public static string SharedDatasets => SharedDatasetsDir.Value;

    /// <summary>A dataset folder below shared/datasets, e.g. "USC-HAD".</summary>
    public static string Real(string folder) => Path.Combine(SharedDatasets, folder);

    /// <summary><c>tests/Fixtures</c> of the source tree.</summary>
    public static string Fixtures => FixturesDir.Value;

    public static string Fixture(string folder) => Path.Combine(Fixtures, folder);

    private static string FindSharedDatasets()
    {
        var env = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            if (Directory.Exists(Path.Combine(env, "datasets"))) return Path.Combine(env, "datasets");
            if (Directory.Exists(env)) return env;
        }
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "shared", "datasets");
            if (Directory.Exists(p)) return p;
        }
        throw new InvalidOperationException(
            "shared/datasets not found above " + AppContext.BaseDirectory + "; set TINIERHAR_SHARED to the shared folder");
    }

    private static string FindFixtures()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, "tests", "Fixtures");
            if (Directory.Exists(p)) return p;
        }
        throw new InvalidOperationException("tests/Fixtures not found above " + AppContext.BaseDirectory);
    }
}
