using System.Globalization;
using TinierHar.Data;
using TinierHar.Data.Download;

namespace TinierHar.Tests.Data;

public class RegistryTests
{
    static readonly string[] PaperKeys = ["dg", "dsads", "hapt", "mhealth", "motionsense", "oppo", "pamap2", "recgym", "rw", "sho", "skodar", "uci", "uschad", "wisdm"];

    [Fact]
    public void WindowChannelsAndClassesOfAll14EqualEfficiencyCsv()
    {
        var rows = File.ReadAllLines(TestPaths.EfficiencyCsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(p => (Key: p[0], T: int.Parse(p[2], CultureInfo.InvariantCulture), C: int.Parse(p[3], CultureInfo.InvariantCulture), K: int.Parse(p[4], CultureInfo.InvariantCulture)))
            .Distinct().ToList();
        Assert.Equal(14, rows.Select(r => r.Key).Distinct().Count());
        foreach (var r in rows)
        {
            var info = DatasetRegistry.Get(r.Key);
            Assert.False(info.Extra);
            Assert.True((r.T, r.C, r.K) == (info.WindowT, info.C, info.K), $"{r.Key}: csv T={r.T} C={r.C} K={r.K}, registry {info}");
        }
    }

    [Fact]
    public void RegistryHasThe14PaperDatasetsThenUtdMhad()
    {
        Assert.Equal(PaperKeys, DatasetRegistry.Paper.Select(d => d.Key));
        Assert.Equal([.. PaperKeys, "utdmhad"], DatasetRegistry.Keys);
        var utd = DatasetRegistry.Get("utdmhad");
        Assert.True(utd.Extra);
        Assert.Equal((100, 6, 27, 8), (utd.WindowT, utd.C, utd.K, utd.Subjects.Count));
        Assert.Equal([[1, 2], [3, 4], [5, 6], [7, 8]], utd.TestGroups.Select(g => g.ToArray()));
    }

    [Fact]
    public void WindowTIsIntOfSecondsTimesRateAndStepIsHalf()
    {
        foreach (var d in DatasetRegistry.All)
        {
            Assert.Equal((int)(d.WindowSeconds * d.SamplingHz), d.WindowT);
            Assert.Equal(d.WindowT / 2, d.Step);
        }
        Assert.Equal(128, DatasetRegistry.Get("uci").WindowT);
        Assert.Equal(132, DatasetRegistry.Get("pamap2").WindowT);
    }

    [Fact]
    public void LabelMapsAreConsistent()
    {
        foreach (var d in DatasetRegistry.All)
        {
            var ids = d.LabelMap.Select(e => e.RawId).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(d.DroppedRawIds, id => Assert.Contains(id, ids));
            Assert.Equal(d.LabelMap.Count - d.DroppedRawIds.Count, d.K);
            Assert.Equal(d.K, d.ClassRawIds.Count);
            Assert.Equal(d.C, d.ChannelNames.Distinct().Count());
            var mapper = new LabelMapper(d);
            for (int k = 0; k < d.K; k++) Assert.Equal(k, mapper.ClassOf(d.ClassRawIds[k]));
            Assert.All(d.DroppedRawIds, id => Assert.Equal(-1, mapper.ClassOf(id)));
        }
        // Dropped classes as in docs/reference.md section 4.
        Assert.Equal([0], DatasetRegistry.Get("dg").DroppedRawIds);
        Assert.Equal([0], DatasetRegistry.Get("hapt").DroppedRawIds);
        Assert.Equal([0], DatasetRegistry.Get("mhealth").DroppedRawIds);
        Assert.Equal([0], DatasetRegistry.Get("pamap2").DroppedRawIds);
        Assert.Equal([32], DatasetRegistry.Get("skodar").DroppedRawIds);
        Assert.Equal("null", DatasetRegistry.Get("oppo").ClassNames[0]);
        Assert.Contains("Null", DatasetRegistry.Get("recgym").ClassNames);
        Assert.Equal(Enumerable.Range(1, 19), DatasetRegistry.Get("dsads").ClassRawIds);
    }

    [Fact]
    public void FoldGroupsFollowTheReference()
    {
        var expectedFolds = new Dictionary<string, int>
        {
            ["dg"] = 10, ["dsads"] = 8, ["hapt"] = 10, ["mhealth"] = 5, ["motionsense"] = 6, ["oppo"] = 4, ["pamap2"] = 9,
            ["recgym"] = 9, ["rw"] = 15, ["sho"] = 5, ["skodar"] = 5, ["uci"] = 10, ["uschad"] = 7, ["wisdm"] = 10, ["utdmhad"] = 4,
        };
        foreach (var d in DatasetRegistry.All)
        {
            Assert.Equal(expectedFolds[d.Key], d.FoldCount);
            if (d.Scheme == CvScheme.Socv) { Assert.Empty(d.TestGroups); continue; }
            var all = d.TestGroups.SelectMany(g => g).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.All(all, s => Assert.Contains(s, d.Subjects));
            var untested = d.Subjects.Except(all).ToArray();
            Assert.Equal(d.Key == "recgym" ? [10] : [], untested);
        }
        Assert.Equal(CvScheme.Socv, DatasetRegistry.Get("skodar").Scheme);
        Assert.Equal([[25, 26, 27], [28, 29, 30], [31, 32, 33], [34, 35, 36]], DatasetRegistry.Get("wisdm").TestGroups.Skip(6).Select(g => g.ToArray()));
    }

    [RequiresSharedFact(SharedFiles.Subsets)]
    public void FoldersOfTheSharedCopiesMatchTheirRegistryEntries()
    {
        var present = Directory.GetDirectories(TestPaths.Datasets).Select(Path.GetFileName).ToHashSet();
        foreach (var key in new[] { "dg", "dsads", "hapt", "motionsense", "uschad", "uci", "wisdm", "utdmhad" })
            Assert.Contains(DatasetRegistry.Get(key).Folder, present);
        Assert.Equal(DatasetRegistry.All.Count, DatasetRegistry.All.Select(d => d.Folder).Distinct().Count());
    }

    [Fact]
    public void EveryRegistryEntryIsOneManifestEntryInTheSameOrder()
    {
        // Key, folder and archive live only in data/datasets.json (embedded): the remaining link is the key list.
        Assert.Equal(DownloadManifest.BuiltIn.Keys, DatasetRegistry.Keys);
        foreach (var info in DatasetRegistry.All)
        {
            Assert.Same(DownloadManifest.BuiltIn.Get(info.Key), info.Download);
            Assert.Equal(info.Download.Folder, info.Folder);
            Assert.Null(info.Download.Name); // the registry names the datasets; the manifest does not repeat it
        }
    }

    [Fact]
    public void TheEmbeddedManifestIsDataDatasetsJson()
    {
        var onDisk = DownloadManifest.Load(Path.Combine(TestPaths.Repository, "data", "datasets.json"));
        Assert.Equal(onDisk.Entries.Count, DownloadManifest.BuiltIn.Entries.Count);
        foreach (var (disk, built) in onDisk.Entries.Zip(DownloadManifest.BuiltIn.Entries))
        {
            Assert.Equal(disk with { Inner = [], Extra = [] }, built with { Inner = [], Extra = [] });
            Assert.Equal(disk.Inner, built.Inner);
            Assert.Equal(disk.Extra, built.Extra);
        }
    }

    [Fact]
    public void UnknownKeyListsTheValidOnes()
    {
        var e = Assert.Throws<TinierHarException>(() => DatasetRegistry.Get("nope"));
        Assert.Contains("dsads", e.Message);
        Assert.Contains("utdmhad", e.Message);
        Assert.Same(DatasetRegistry.Get("dsads"), DatasetRegistry.Get("DSADS"));
    }

    [Fact]
    public void EveryDatasetHasItsOwnLoaderAsLoadersMdSays()
    {
        // lib/Data/Loaders/LOADERS.md's table names the loader class of every key; the registry creates exactly that one.
        var table = File.ReadLines(Path.Combine(TestPaths.Repository, "lib", "Data", "Loaders", "LOADERS.md"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length > 3 && DatasetRegistry.TryGet(c[1], out _))
            .ToDictionary(c => c[1], c => c[2]);
        Assert.Equal(DatasetRegistry.Keys.Order(), table.Keys.Order());
        foreach (var d in DatasetRegistry.All)
        {
            var loader = d.CreateLoader();
            Assert.Equal(table[d.Key], loader.GetType().Name);
            Assert.NotSame(loader, d.CreateLoader());
        }
        Assert.Equal(DatasetRegistry.All.Count, DatasetRegistry.All.Select(d => d.CreateLoader().GetType()).Distinct().Count());
    }

    [Fact]
    public void EveryEntryHasItsDocumentation()
    {
        foreach (var d in DatasetRegistry.All)
        {
            Assert.StartsWith("http", d.Homepage);
            Assert.True(d.Download.Url?.StartsWith("http") == true || d.Download.Manual is not null, d.Key);
            Assert.False(string.IsNullOrWhiteSpace(d.Layout));
            Assert.False(string.IsNullOrWhiteSpace(d.License));
            Assert.False(string.IsNullOrWhiteSpace(d.Citation));
        }
    }
}
