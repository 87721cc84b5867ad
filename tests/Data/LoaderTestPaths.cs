namespace TinierHar.Tests.Data;

/// <summary>Where the loader tests find the shared real datasets and the hand-written fixtures.</summary>
internal static class LoaderTestPaths
{
    private static readonly Lazy<string> FixturesDir = new(FindFixtures);

    /// <summary><c>.../shared/datasets</c> (see <see cref="TestPaths"/>).</summary>
    public static string SharedDatasets => TestPaths.Datasets;

    /// <summary>A dataset folder below shared/datasets, e.g. "USC-HAD".</summary>
    public static string Real(string folder) => Path.Combine(SharedDatasets, folder);

    /// <summary><c>tests/Fixtures</c> of the source tree.</summary>
    public static string Fixtures => FixturesDir.Value;

    public static string Fixture(string folder) => Path.Combine(Fixtures, folder);

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
