using System.Globalization;
using System.Text.Json;
using TinierHar.Cli;
using TinierHar.Cli.Commands;
using TinierHar.Data;

namespace TinierHar.Tests.Data;

/// <summary><c>tinierhar datasets</c> run in-process on the real shared folder.</summary>
public class DatasetsCommandTests
{
    static (int Code, string Out) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = new DatasetsCommand(output, new StringWriter()).Run(args);
        return (code, output.ToString());
    }

    static string[] SharedArgs(params string[] rest) => [.. rest, "--data", TestPaths.Datasets, "--cache", RealData.Cache.Directory];

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet, SharedFiles.Dsads, SharedFiles.Hapt, SharedFiles.MotionSense, SharedFiles.UciHar, SharedFiles.UscHad, SharedFiles.Wisdm, SharedFiles.UtdMhad)]
    public void ListingShowsEveryDatasetFoundOrMissingWithWindowsPerFold()
    {
        var (code, text) = Run(SharedArgs());
        Assert.Equal(0, code);
        Assert.Contains($"data folder: {TestPaths.Datasets} (from --data)", text);
        foreach (var d in DatasetRegistry.All) Assert.Contains($"{d.Key,-12} {d.Name}", text);
        Assert.Contains($"missing: looked for {Path.Combine(TestPaths.Datasets, "PAMAP2")}", text);
        Assert.Contains("found at " + Path.Combine(TestPaths.Datasets, "Daphnet"), text);
        Assert.Contains("subjects [1,2,3,6,7], 7 recordings, 417,906 samples, 1,607 windows", text);
        Assert.Contains("per class: no freeze 1476, freeze 131", text);
        Assert.Contains("fold 0 test [1]: train 1,243 / validation 139 / test 225", text);
        Assert.Contains("fold 3 test [4]: skipped (none of the test subjects [4] is in the data folder)", text);
        Assert.Contains("fold 0 test [1]: skipped (only 0 training+validation window(s) (subjects []))", text); // DSADS: subject 1 only
        // HAPT (complete, 30 users): numbers from the raw files by HaptFacts (no library code).
        var hapt = HaptFacts.Of(TestPaths.Dataset("HAPT"));
        static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        var haptFound = $"  found at {Path.Combine(TestPaths.Datasets, "HAPT")}";
        var haptLine = Assert.Single(text.Split('\n'), l => l.StartsWith(haptFound, StringComparison.Ordinal));
        var haptFacts = $": subjects [{string.Join(",", Enumerable.Range(1, 30))}], 61 recordings, {N(hapt.SampleCount)} samples, {N(hapt.Windows)} windows";
        Assert.Contains(haptLine[haptFound.Length..], new[] { haptFacts, " (from cache)" + haptFacts }); // from cache when another test loaded HAPT first
        for (int i = 0; i < 10; i++)
        {
            var group = Enumerable.Range(3 * i + 1, 3).ToArray();
            int test = group.Sum(u => hapt.WindowsPerSubject.GetValueOrDefault(u)), trainVal = hapt.Windows - test, train = (int)(0.9 * trainVal);
            Assert.Contains($"fold {i} test [{string.Join(",", group)}]: train {N(train)} / validation {N(trainVal - train)} / test {N(test)}", text);
        }
        Assert.Contains($"found at {Path.Combine(TestPaths.Datasets, "UCI-HAR")}; error: ", text);
        Assert.Contains($"get missing datasets with: dotnet run --project cli -- datasets download --datasets mhealth,oppo,pamap2,recgym,rw,sho,skodar --data \"{TestPaths.Datasets}\" " +
            $"(or from PowerShell: dotnet tool restore && dotnet pwsh download-datasets.ps1 -Datasets mhealth,oppo,pamap2,recgym,rw,sho,skodar -Data \"{TestPaths.Datasets}\")", text);
        Assert.Contains("subjects [1,2,3,4,5,6,7,8,9,10,11,12,13,14], 840 recordings, 2,811,490 samples, 13,024 windows", text);
        Assert.Contains("fold 6 test [13,14]: train 9,755 / validation 1,084 / test 2,185", text);
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet)]
    public void JsonListingHasTheSameFacts()
    {
        var (code, text) = Run(SharedArgs("--json"));
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var sets = doc.RootElement.GetProperty("datasets").EnumerateArray().ToDictionary(e => e.GetProperty("key").GetString()!);
        Assert.Equal(DatasetRegistry.Keys, sets.Keys);
        Assert.False(sets["oppo"].GetProperty("found").GetBoolean());
        var dg = sets["dg"];
        Assert.True(dg.GetProperty("found").GetBoolean());
        Assert.Equal(1607, dg.GetProperty("windows").GetInt32());
        Assert.Equal(131, dg.GetProperty("classCounts").GetProperty("freeze").GetInt32());
        var folds = dg.GetProperty("folds").EnumerateArray().ToArray();
        Assert.Equal(10, folds.Length);
        Assert.Equal("NoTestSubjects", folds[3].GetProperty("status").GetString());
        Assert.Equal(707, folds[1].GetProperty("test").GetInt32());
        Assert.Equal(92, folds[1].GetProperty("testClassCounts").GetProperty("freeze").GetInt32());
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet)]
    public void PrepareBuildsTheCacheAndReportsOneLinePerDataset()
    {
        using var tmp = new TempDir();
        var output = new StringWriter();
        int code = new DatasetsCommand(output, new StringWriter()).Run(["prepare", "dg", "--data", TestPaths.Datasets, "--cache", tmp.Path]);
        Assert.Equal(0, code);
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dg: 7 recordings, 417,906 samples, 1,607 windows, subjects [1,2,3,6,7]; cache written (was missing)", line);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "dg.reference.thwc")));
        var (again, text) = (new DatasetsCommand(output = new StringWriter(), new StringWriter()).Run(["prepare", "DG", "--data", TestPaths.Datasets, "--cache", tmp.Path]), output.ToString());
        Assert.Equal(0, again);
        Assert.Contains("cache up to date", text);
    }

    [RequiresSharedFact(SharedFiles.Subsets, SharedFiles.Daphnet, SharedFiles.Dsads, SharedFiles.Hapt, SharedFiles.MotionSense, SharedFiles.UciHar, SharedFiles.UscHad, SharedFiles.Wisdm, SharedFiles.UtdMhad)]
    public void PrepareAllReportsMissingAndFailingDatasetsAndExits2()
    {
        var (code, text) = Run(SharedArgs("prepare", "all"));
        Assert.Equal(2, code);                                          // the shared UCI-HAR and WISDM copies lack their signal files
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(DatasetRegistry.All.Count, lines.Length);
        Assert.Contains($"pamap2: missing (looked for {Path.Combine(TestPaths.Datasets, "PAMAP2")})", lines);
        Assert.Contains(lines, l => l.StartsWith("uci: error: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("dsads: 1,140 recordings", StringComparison.Ordinal));
    }

    [Fact]
    public void BadNamesAndMissingDatasetsAreUserErrors()
    {
        var e = Assert.Throws<UsageException>(() => Run(SharedArgs("prepare", "nope")));
        Assert.Contains("unknown dataset 'nope'", e.Message);
        Assert.Contains("dsads", e.Message);
        Assert.Contains("utdmhad", e.Message);
        Assert.Throws<UsageException>(() => Run(SharedArgs("prepare")));
        Assert.Throws<UsageException>(() => Run(SharedArgs("--verbose")));
        var missing = Assert.Throws<TinierHarException>(() => Run(SharedArgs("prepare", "oppo")));
        Assert.Contains("dotnet pwsh download-datasets.ps1 -Datasets oppo", missing.Message);
        // Through the program's entry point both become exit code 2.
        var main = typeof(DatasetsCommand).Assembly.EntryPoint!;
        Assert.Equal(2, main.Invoke(null, [new[] { "datasets", "prepare", "nope" }]));
        Assert.Equal(2, main.Invoke(null, [SharedArgs("datasets", "prepare", "oppo")]));
    }
}
