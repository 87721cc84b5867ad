using TinierHar.Data;

namespace TinierHar.Tests.Data;

public class DataFolderTests
{
    static Func<string, string?> Env(string? value) => name => name == DataFolder.EnvironmentVariable ? value : null;

    [Fact]
    public void DataOptionWinsOverEnvironmentWhichWinsOverRepositoryDefault()
    {
        using var tmp = new TempDir();
        var a = DataFolder.Resolve(tmp.Sub("opt"), tmp.Path, Env(tmp.Sub("env")));
        Assert.Equal((tmp.Sub("opt"), "--data"), (a.Root, a.Source));
        var b = DataFolder.Resolve(null, tmp.Path, Env(tmp.Sub("env")));
        Assert.Equal((tmp.Sub("env"), DataFolder.EnvironmentVariable), (b.Root, b.Source));
        var c = DataFolder.Resolve("  ", tmp.Path, Env(""));
        Assert.Equal("default", c.Source);
    }

    [Fact]
    public void DefaultIsDataUnderTheRepositoryRootFoundByWalkingUp()
    {
        using var tmp = new TempDir();
        var repo = tmp.Sub("repo");
        var deep = Path.Combine(repo, "a", "b", "c");
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(repo, "TinierHar.Lib.csproj"), "<Project />");
        Assert.Equal(repo, DataFolder.FindRepositoryRoot(deep));
        Assert.Equal(Path.Combine(repo, "data"), DataFolder.Resolve(null, deep, Env(null)).Root);
        Assert.Equal(Path.Combine(repo, "data", "cache"), WindowCache.Resolve(null, deep).Directory);
        Assert.Equal(tmp.Sub("elsewhere"), WindowCache.Resolve(tmp.Sub("elsewhere"), deep).Directory);
    }

    [Fact]
    public void WithoutARepositoryTheCurrentDirectoryIsUsed()
    {
        using var tmp = new TempDir();
        Assert.Null(DataFolder.FindRepositoryRoot(tmp.Path));
        Assert.Equal(Path.Combine(tmp.Path, "data"), DataFolder.Resolve(null, tmp.Path, Env(null)).Root);
    }

    [Fact]
    public void MissingDatasetSaysWhichWhereAndHowToGetIt()
    {
        using var tmp = new TempDir();
        var data = new DataFolder(tmp.Path, "--data");
        var info = DatasetRegistry.Get("pamap2");
        Assert.False(data.Has(info));
        var e = Assert.Throws<TinierHarException>(() => LoadedDataset.Load(info, data, new WindowCache(tmp.Sub("cache"))));
        Assert.Contains("'pamap2'", e.Message);
        Assert.Contains(Path.Combine(tmp.Path, "PAMAP2"), e.Message);
        Assert.Contains($"dotnet run --project cli -- datasets download --datasets pamap2 --data \"{tmp.Path}\"", e.Message);
        Assert.Contains("dotnet tool restore && dotnet pwsh download-datasets.ps1 -Datasets pamap2", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(tmp.Sub("cache")));
    }

    [RequiresSharedFact(SharedFiles.UscHad)]
    public void SharedCopiesAreFoundUnderTheirRegistryFolderNames()
    {
        var data = TestPaths.SharedDataFolder;
        Assert.True(data.Has(DatasetRegistry.Get("uschad")));
        Assert.Equal(Path.Combine(TestPaths.Datasets, "USC-HAD"), data.Require(DatasetRegistry.Get("uschad")));
        Assert.False(data.Has(DatasetRegistry.Get("oppo")));
    }
}
