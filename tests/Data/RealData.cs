using TinierHar.Data;

namespace TinierHar.Tests.Data;

/// <summary>
/// Real datasets read in place from shared/datasets, each loaded at most once per test run through one cache folder
/// in the temp directory (deleted when the test process exits).
/// </summary>
internal static class RealData
{
    static readonly Lazy<string> cacheDir = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"threal-{Environment.ProcessId}-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        return dir;
    });

    static readonly Dictionary<string, Lazy<LoadedDataset>> loaded = new();

    /// <summary>The shared cache folder (tests that only read through the cache may use it).</summary>
    public static WindowCache Cache => new(cacheDir.Value);

    public static LoadedDataset Load(string key)
    {
        Lazy<LoadedDataset> lazy;
        lock (loaded)
        {
            if (!loaded.TryGetValue(key, out lazy!))
                loaded[key] = lazy = new(() => LoadedDataset.Load(DatasetRegistry.Get(key), TestPaths.SharedDataFolder, Cache));
        }
        return lazy.Value;
    }
}
