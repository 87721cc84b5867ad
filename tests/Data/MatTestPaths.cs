namespace TinierHar.Tests.Data;

/// <summary>The real MAT-file datasets in shared/datasets (see <see cref="TestPaths"/>).</summary>
internal static class MatTestPaths
{
    public static string Datasets => TestPaths.Datasets;
    public static string UscHad => Path.Combine(Datasets, "USC-HAD");
    public static string UtdMhadInertial => Path.Combine(Datasets, "UTD-MHAD", "Inertial");
}
