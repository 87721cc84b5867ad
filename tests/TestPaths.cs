using TinierHar.Data;

namespace TinierHar.Tests;

/// <summary>
/// Every path the tests use, in one place.
/// <para><b>In the repository</b>: <see cref="Fixtures"/> (hand-written loader fixtures, the reference's efficiency.csv,
/// test notebooks).</para>
/// <para><b>Outside it</b> (files the repository cannot carry: the real datasets and the reference's MHEALTH checkpoint),
/// found by ONE lookup, the first that exists of:
/// <list type="number">
/// <item><c>TINIERHAR_SHARED</c>: a folder holding <c>datasets/</c> and <c>reference/</c> (or that datasets folder itself);</item>
/// <item><c>../shared</c> beside the repository (the same layout);</item>
/// <item>the repository's <c>data/</c> folder: datasets directly in it (as <c>tinierhar datasets download</c> puts them),
/// reference files in <c>data/reference/</c>.</item>
/// </list>
/// Tests that need such files carry <see cref="RequiresSharedFactAttribute"/> (or the theory version) naming them; where
/// they are absent the test is reported as skipped with the reason, never passed.</para>
/// </summary>
public static class TestPaths
{
    /// <summary>Where the lookup found the shared files: root of datasets, root of reference files, and how it was chosen.</summary>
    public sealed record SharedLocation(string Datasets, string Reference, string Source, string? Error);

    static readonly Lazy<string> RepositoryFolder = new(FindRepository);
    static readonly Lazy<SharedLocation> SharedFolder = new(FindShared);

    /// <summary>The repository root (the folder with <c>tests/Fixtures</c>).</summary>
    public static string Repository => RepositoryFolder.Value;

    /// <summary><c>tests/Fixtures</c> of the source tree.</summary>
    public static string Fixtures => Path.Combine(Repository, "tests", "Fixtures");

    /// <summary>A fixture folder or file below <c>tests/Fixtures</c>, e.g. "PAMAP2".</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>The reference's params/MACs table (a public file of github.com/zhaxidele/TinierHAR, kept as a fixture).</summary>
    public static string EfficiencyCsv => Fixture("reference", "efficiency.csv");

    /// <summary>The result of the shared-files lookup (see the class notes).</summary>
    public static SharedLocation Shared => SharedFolder.Value;

    /// <summary>The folder that holds the real datasets (<c>USC-HAD/</c>, <c>HAPT/</c>, ...).</summary>
    public static string Datasets => Shared.Datasets;

    /// <summary>A dataset folder, e.g. "USC-HAD".</summary>
    public static string Dataset(string folder) => Path.Combine(Datasets, folder);

    /// <summary>The folder that holds the reference's files (<c>tinierhar-mhealth/</c>).</summary>
    public static string Reference => Shared.Reference;

    /// <summary>A reference checkpoint file below <c>reference/tinierhar-mhealth/</c>.</summary>
    public static string Checkpoint(string file) => Path.Combine(Reference, "tinierhar-mhealth", file);

    /// <summary>The datasets folder as the library's <see cref="DataFolder"/> (as if given by <c>--data</c>).</summary>
    public static DataFolder SharedDataFolder => new(Datasets, "--data");

    /// <summary>
    /// Full path of a shared file named like <c>datasets/HAPT</c> or <c>reference/tinierhar-mhealth</c> (see
    /// <see cref="SharedFiles"/>).
    /// </summary>
    public static string SharedPath(string relative)
    {
        var parts = relative.Split('/', 2);
        var root = parts[0] switch
        {
            "datasets" => Datasets,
            "reference" => Reference,
            _ => throw new ArgumentException($"shared path '{relative}' must start with datasets/ or reference/"),
        };
        return parts.Length == 1 ? root : Path.Combine(root, parts[1]);
    }

    /// <summary>Why a test needing <paramref name="needs"/> cannot run here, or null when every one exists.</summary>
    public static string? MissingShared(IEnumerable<string> needs)
    {
        var s = Shared;
        if (s.Error is not null) return s.Error;
        var missing = needs.Where(n => !File.Exists(SharedPath(n)) && !Directory.Exists(SharedPath(n))).ToArray();
        return missing.Length == 0 ? null
            : $"needs {string.Join(", ", missing)}, not found in the shared files ({s.Source}); "
              + "set TINIERHAR_SHARED or put them in ../shared (see README, tests)";
    }

    static string FindRepository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (Directory.Exists(Path.Combine(d.FullName, "tests", "Fixtures"))) return d.FullName;
        throw new InvalidOperationException("tests/Fixtures not found above " + AppContext.BaseDirectory);
    }

    static SharedLocation FindShared()
    {
        var fromEnv = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            var full = Path.GetFullPath(fromEnv);
            // Accept the shared folder itself or its datasets folder.
            if (Path.GetFileName(full) == "datasets" && !Directory.Exists(Path.Combine(full, "datasets")))
                full = Path.GetDirectoryName(full)!;
            var source = $"TINIERHAR_SHARED={fromEnv}";
            return new SharedLocation(Path.Combine(full, "datasets"), Path.Combine(full, "reference"), source,
                Directory.Exists(full) ? null : $"{source} is not a folder");
        }
        var beside = Path.GetFullPath(Path.Combine(Repository, "..", "shared"));
        if (Directory.Exists(beside))
            return new SharedLocation(Path.Combine(beside, "datasets"), Path.Combine(beside, "reference"), $"{beside} beside the repository", null);
        var data = Path.Combine(Repository, "data");
        return new SharedLocation(data, Path.Combine(data, "reference"),
            $"TINIERHAR_SHARED unset, no {beside}, so the repository's data/ folder", null);
    }
}

/// <summary>Names of the shared files tests need (see <see cref="TestPaths.SharedPath"/>).</summary>
public static class SharedFiles
{
    /// <summary>The reference's trained MHEALTH checkpoint, test batch and golden logits.</summary>
    public const string Checkpoint = "reference/tinierhar-mhealth";

    /// <summary>
    /// The description of the project's real-data subsets. Tests that assert facts of a SUBSET (Daphnet 7 of 17
    /// recordings, DSADS p1, MotionSense subject 1, WISDM subject 1600, UCI-HAR without signals) need it too: a complete
    /// download of those datasets has other numbers.
    /// </summary>
    public const string Subsets = "datasets/SOURCES.md";

    public const string Daphnet = "datasets/Daphnet", Dsads = "datasets/DSADS", Hapt = "datasets/HAPT",
        MotionSense = "datasets/MotionSense", Wisdm = "datasets/WISDM", UciHar = "datasets/UCI-HAR",
        UscHad = "datasets/USC-HAD", UtdMhad = "datasets/UTD-MHAD";
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "thdata")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating folders) below this folder and returns its path.</summary>
    public string File(string relative, string content)
    {
        var p = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    /// <summary>Copies a fixture folder's content into this temp folder (to build broken variants of it).</summary>
    public void CopyFrom(string source)
    {
        foreach (var f in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dst = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(source, f));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dst)!);
            System.IO.File.Copy(f, dst);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
