using System.Diagnostics;
using TinierHar.Data;

namespace TinierHar.Tests.Data;

public class WindowCacheTests
{
    /// <summary>A synthetic dataset folder "Synthetic" with a counting CSV loader.</summary>
    sealed class Fixture : IDisposable
    {
        public readonly TempDir Tmp = new();
        public readonly CsvFolderLoader Loader = new(3);
        public readonly DatasetInfo Info;
        public readonly DataFolder Data;
        public readonly WindowCache Cache;

        public Fixture()
        {
            Info = Synthetic.Info(t: 8, c: 3, subjects: [1, 2, 3, 4], groups: [[1, 2], [3, 4]], loader: () => Loader);
            CsvFolderLoader.WriteFolder(Tmp.Sub("data", "Synthetic"), [1, 2, 3], rows: 50, channels: 3);
            Data = new DataFolder(Tmp.Sub("data"), "--data");
            Cache = new WindowCache(Tmp.Sub("cache"));
        }

        public LoadedDataset Load(LoaderOptions? options = null) => LoadedDataset.Load(Info, Data, Cache, options);

        public string CacheFile => Cache.FileFor(Info, new LoaderOptions());

        public void Dispose() => Tmp.Dispose();
    }

    static void AssertSameRecordings(IReadOnlyList<Recording> a, IReadOnlyList<Recording> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal((a[i].Subject, a[i].Block, a[i].Channels), (b[i].Subject, b[i].Block, b[i].Channels));
            Assert.Equal(a[i].Samples, b[i].Samples);
            Assert.Equal(a[i].Labels, b[i].Labels);
        }
    }

    [Fact]
    public void MissThenHitGivesTheSameRecordingsWithoutCallingTheLoader()
    {
        using var f = new Fixture();
        var first = f.Load();
        Assert.Equal(CacheOutcome.Missing, first.Cache!.Outcome);
        Assert.Equal(1, f.Loader.Calls);
        Assert.True(File.Exists(f.CacheFile));
        var second = f.Load();
        Assert.Equal(CacheOutcome.Hit, second.Cache!.Outcome);
        Assert.True(second.FromCache);
        Assert.Equal(1, f.Loader.Calls);
        AssertSameRecordings(first.Recordings, second.Recordings);
        Assert.Equal(first.Windows.Start, second.Windows.Start);
        Assert.Single(Directory.GetFiles(f.Cache.Directory));
    }

    [Fact]
    public void ChangedDatasetFileMakesTheCacheStale()
    {
        using var f = new Fixture();
        f.Load();
        var file = Path.Combine(f.Data.PathOf(f.Info), "subject02.csv");
        File.AppendAllText(file, "2,1,0.5,0.5,0.5\n");
        var again = f.Load();
        Assert.Equal(CacheOutcome.Stale, again.Cache!.Outcome);
        Assert.Equal(2, f.Loader.Calls);
        Assert.Equal(51, again.Recordings[1].Length);
        Assert.Equal(CacheOutcome.Hit, f.Load().Cache!.Outcome);
        // A touched file (same size, new time) and a new file are changes too.
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(CacheOutcome.Stale, f.Load().Cache!.Outcome);
        CsvFolderLoader.WriteFolder(f.Data.PathOf(f.Info), [4], rows: 20, channels: 3);
        var withFour = f.Load();
        Assert.Equal(CacheOutcome.Stale, withFour.Cache!.Outcome);
        Assert.Equal([1, 2, 3, 4], withFour.SubjectsPresent);
    }

    [Fact]
    public void LoaderVersionAndOptionsAreInTheKey()
    {
        using var f = new Fixture();
        f.Load();
        var bumped = f.Info with { LoaderVersion = 2 };
        var probe = f.Cache.TryRead(bumped, new LoaderOptions(), WindowCache.ComputeKey(bumped, f.Data.PathOf(bumped), new LoaderOptions()), out _);
        Assert.Equal(CacheOutcome.Stale, probe.Outcome);
        var corrected = f.Load(new LoaderOptions(ReferenceQuirks: false));
        Assert.Equal(CacheOutcome.Missing, corrected.Cache!.Outcome);   // one file per (dataset, options)
        Assert.NotEqual(f.CacheFile, f.Cache.FileFor(f.Info, new LoaderOptions(false)));
        Assert.Equal(2, Directory.GetFiles(f.Cache.Directory).Length);
    }

    [Fact]
    public void TruncatedCacheIsDetectedAndRebuilt()
    {
        using var f = new Fixture();
        var first = f.Load();
        var bytes = File.ReadAllBytes(f.CacheFile);
        foreach (var length in new[] { bytes.Length - 1, bytes.Length / 2, 50, 10, 0 })
        {
            File.WriteAllBytes(f.CacheFile, bytes[..length]);
            var again = f.Load();
            Assert.Equal(CacheOutcome.Corrupt, again.Cache!.Outcome);
            AssertSameRecordings(first.Recordings, again.Recordings);
            Assert.Equal(bytes, File.ReadAllBytes(f.CacheFile));       // rewritten whole
        }
        Assert.Equal(6, f.Loader.Calls);
    }

    [Fact]
    public void DamagedByteOrForeignFileIsCorruptNeverTrusted()
    {
        using var f = new Fixture();
        var first = f.Load();
        var bytes = File.ReadAllBytes(f.CacheFile);
        var damaged = (byte[])bytes.Clone();
        damaged[bytes.Length / 2] ^= 0x40;                               // inside the samples
        File.WriteAllBytes(f.CacheFile, damaged);
        var again = f.Load();
        Assert.Equal(CacheOutcome.Corrupt, again.Cache!.Outcome);
        Assert.Contains("checksum", again.Cache.Reason);
        AssertSameRecordings(first.Recordings, again.Recordings);
        File.WriteAllText(f.CacheFile, "this is not a cache file, but it is long enough to have a header and a trailer in it....");
        Assert.Equal(CacheOutcome.Corrupt, f.Load().Cache!.Outcome);
    }

    [Fact]
    public void FailureMidWriteLeavesNoFinalAndNoTempFile()
    {
        using var f = new Fixture();
        var good = Synthetic.Rec(1, Synthetic.Repeat(1, 1000), c: 3);
        var bad = new Recording(2, "bad", new float[10], 3, new int[5]);  // 10 samples for 5 rows x 3 channels
        var key = new byte[32];
        var e = Assert.Throws<TinierHarException>(() => f.Cache.Write(f.Info, new LoaderOptions(), key, [good, good, bad]));
        Assert.Contains("bad", e.Message);
        Assert.Empty(Directory.GetFiles(f.Cache.Directory));
        // An existing good file survives a failed rewrite untouched.
        f.Load();
        var before = File.ReadAllBytes(f.CacheFile);
        Assert.Throws<TinierHarException>(() => f.Cache.Write(f.Info, new LoaderOptions(), key, [good, bad]));
        Assert.Equal(before, File.ReadAllBytes(f.CacheFile));
        Assert.Single(Directory.GetFiles(f.Cache.Directory));
        Assert.Equal(CacheOutcome.Hit, f.Load().Cache!.Outcome);
    }

    [Fact]
    public void TempFileOfAKilledWriterIsRemovedOnTheNextWrite()
    {
        using var f = new Fixture();
        Directory.CreateDirectory(f.Cache.Directory);
        // A pid that cannot be running (beyond the kernel's pid_max) stands for a writer killed mid-write.
        var orphan = $"{f.CacheFile}.2147483000.0123abcd{WindowCache.TempSuffix}";
        var live = $"{f.CacheFile}.{Environment.ProcessId}.feedbeef{WindowCache.TempSuffix}";   // another writer of this process
        File.WriteAllBytes(live, new byte[10]);
        File.WriteAllBytes(orphan, new byte[100]);
        var stranger = Path.Combine(f.Cache.Directory, "other.dat");
        File.WriteAllText(stranger, "not ours");
        Assert.Equal(CacheOutcome.Missing, f.Load().Cache!.Outcome);   // a temp file is never read as the cache
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(stranger));
        Assert.True(File.Exists(f.CacheFile));
    }

    [Fact]
    public void CacheInsideTheDatasetFolderIsRefused()
    {
        using var f = new Fixture();
        var inside = new WindowCache(Path.Combine(f.Data.PathOf(f.Info), "cache"));
        var e = Assert.Throws<TinierHarException>(() => LoadedDataset.Load(f.Info, f.Data, inside));
        Assert.Contains("inside the dataset folder", e.Message);
        Assert.False(Directory.Exists(inside.Directory));
    }

}

public class Crc32CTests
{
    [Fact]
    public void CheckValueAndIncrementalAndSoftwarePathAgree()
    {
        var check = "123456789"u8;
        Assert.Equal(0xE3069283u, Crc32C.Compute(check));
        Assert.Equal(0xE3069283u, Crc32C.ComputeSoftware(check));
        Assert.Equal(0u, Crc32C.Compute([]));
        var data = new byte[1000];
        new Random(4).NextBytes(data);
        var whole = Crc32C.Compute(data);
        Assert.Equal(whole, Crc32C.ComputeSoftware(data));
        Assert.Equal(whole, Crc32C.Append(Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 3)), data.AsSpan(3, 500)), data.AsSpan(503)));
        data[700] ^= 1;
        Assert.NotEqual(whole, Crc32C.Compute(data));
    }
}

/// <summary>The cache round trip on real files (its speed is measured by bench/prepare, not asserted here).</summary>
public class WindowCacheRealTests
{
    [RequiresSharedFact(SharedFiles.Daphnet)]
    public void RealDaphnetCachedLoadEqualsColdLoad()
    {
        using var tmp = new TempDir();
        var info = DatasetRegistry.Get("dg");
        var cache = new WindowCache(tmp.Path);
        var first = LoadedDataset.Load(info, TestPaths.SharedDataFolder, cache);
        Assert.False(first.FromCache);
        var second = LoadedDataset.Load(info, TestPaths.SharedDataFolder, cache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Recordings.Select(r => r.Block), second.Recordings.Select(r => r.Block));
        Assert.Equal(first.Recordings.Select(r => r.Samples), second.Recordings.Select(r => r.Samples));
        Assert.Equal(first.Recordings.Select(r => r.Labels), second.Recordings.Select(r => r.Labels));
    }
}
