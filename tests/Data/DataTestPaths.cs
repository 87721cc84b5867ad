using TinierHar.Data;

namespace TinierHar.Tests.Data;

/// <summary>The shared folder (see <see cref="TestPaths"/>) and the data folder the data tests read.</summary>
internal static class DataTestPaths
{
    public static string Shared => TestPaths.Shared;
    public static string Datasets => TestPaths.Datasets;
    public static string Reference => TestPaths.Reference;
    public static string EfficiencyCsv => Path.Combine(Reference, "efficiency.csv");
    public static DataFolder SharedDataFolder => new(Datasets, "--data");
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
