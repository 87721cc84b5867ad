using TinierHar.Data;

namespace TinierHar.Tests.Data;

/// <summary>
/// Locates the read-only shared folder (real datasets and the reference's files): $TINIERHAR_SHARED, else the first
/// folder up from the test binaries that has <c>shared/datasets</c> in it (the repository sits beside <c>shared/</c>).
/// </summary>
internal static class DataTestPaths
{
    static readonly Lazy<string> shared = new(Find);

    public static string Shared => shared.Value;
    public static string Datasets => Path.Combine(Shared, "datasets");
    public static string Reference => Path.Combine(Shared, "reference");
    public static string EfficiencyCsv => Path.Combine(Reference, "efficiency.csv");
    public static DataFolder SharedDataFolder => new(Datasets, "--data");

    static string Find()
    {
        var env = Environment.GetEnvironmentVariable("TINIERHAR_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            var full = Path.GetFullPath(env);
            if (Directory.Exists(Path.Combine(full, "datasets"))) return full;
            if (Path.GetFileName(full) == "datasets" && Directory.Exists(full)) return Path.GetDirectoryName(full)!;
            throw new InvalidOperationException($"TINIERHAR_SHARED={env} has no datasets folder");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "datasets"))) return Path.Combine(dir.FullName, "shared");
        throw new InvalidOperationException($"no shared/datasets folder above {AppContext.BaseDirectory}; set TINIERHAR_SHARED");
    }
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
