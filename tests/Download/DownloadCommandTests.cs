using System.Text.Json;
using TinierHar.Cli.Commands;
using TinierHar.Data.Download;
using static TinierHar.Tests.Download.SyntheticArchives;

namespace TinierHar.Tests.Download;

/// <summary>
/// In-process tests of <c>tinierhar datasets download</c> (<see cref="DatasetsDownloadCommand"/>, lib/Data/Download).
/// Every test writes its own manifest and SYNTHETIC archives (made here, not real datasets) into a temporary folder and
/// serves them from a loopback HTTP server on 127.0.0.1; no other network.
/// </summary>
public sealed class DownloadCommandTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "tinierhar-dlcmd-" + Guid.NewGuid().ToString("N")[..10]);
    readonly string _data;
    readonly string _manifest;
    readonly LoopbackHttpServer _server = new();

    public DownloadCommandTests()
    {
        _data = Path.Combine(_tmp, "data");
        _manifest = Path.Combine(_tmp, "datasets.json");
        Directory.CreateDirectory(_tmp);
    }

    public void Dispose()
    {
        _server.Dispose();
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }

    sealed record Result(int ExitCode, string Out, string Err)
    {
        public string Describe() => $"exit code {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
        public string[] Errors => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error:")).ToArray();
    }

    /// <summary>Runs <c>datasets download</c> through <see cref="DatasetsCommand"/>, as the CLI does.</summary>
    Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = new DatasetsCommand(o, e).Run(["download", "--manifest", _manifest, "--data", _data, .. args]);
        var r = new Result(code, o.ToString(), e.ToString());
        Assert.DoesNotContain("   at ", r.Out + r.Err); // never a stack trace
        return r;
    }

    static Dictionary<string, object?> Entry(string key, string folder, string? url, string? archive, string? sha256, string marker, string? manual = null) =>
        new() { ["key"] = key, ["folder"] = folder, ["url"] = url, ["archive"] = archive, ["sha256"] = sha256, ["extract"] = "into-folder", ["marker"] = marker, ["manual"] = manual };

    void WriteManifest(params Dictionary<string, object?>[] entries) => File.WriteAllText(_manifest, JsonSerializer.Serialize(entries));

    void AssertNoTempFolders()
    {
        if (Directory.Exists(_data)) Assert.Empty(Directory.GetDirectories(_data, ".tmp-*"));
    }

    [Fact]
    public void APartialFileIsResumedWithARangeRequest()
    {
        var zip = MakeZip(("r/payload.bin", RandomBytes(150_000, seed: 11)), ("r/done.txt", "ok"u8.ToArray()));
        int half = zip.Length / 3;
        Directory.CreateDirectory(_data);
        File.WriteAllBytes(Path.Combine(_data, "res.zip.partial"), zip[..half]);
        WriteManifest(Entry("res", "Res", _server.Serve("/res.zip", zip), "res.zip", Sha256(zip), "Res/r/done.txt"));

        var r = Run("--datasets", "res");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal($"bytes={half}-", Assert.Single(_server.Requests).Range);
        Assert.Contains($"resuming {_server.BaseUrl}/res.zip from byte {half}", r.Out);
        Assert.Contains("[res] sha256 verified", r.Out);
        Assert.Contains("Done: 1 installed, 0 already present.", r.Out);
        Assert.Equal("ok", File.ReadAllText(Path.Combine(_data, "Res", "r", "done.txt")));
        Assert.Equal(["Res"], Directory.GetFileSystemEntries(_data).Select(Path.GetFileName));
    }

    [Fact]
    public void AChecksumMismatchNamesTheDatasetTheFileAndBothHashes_AndInstallsNothing()
    {
        var zip = MakeZip(("b/file.txt", "payload"u8.ToArray()));
        var wrong = Sha256("something else"u8.ToArray());
        WriteManifest(Entry("bad", "Bad", _server.Serve("/bad.zip", zip), "bad.zip", wrong, "Bad/b/file.txt"));

        var r = Run("--datasets", "bad");
        Assert.True(r.ExitCode == 1, r.Describe());
        Assert.Equal($"error: [bad] bad: SHA-256 mismatch for bad.zip: expected {wrong}, actual {Sha256(zip)}; the file was deleted", Assert.Single(r.Errors));
        Assert.Contains("1 failed (bad)", r.Out);
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    [Fact]
    public void ABadManifestEntryIsNamedWithItsFileNumberAndKey_Exit2()
    {
        var bad = Entry("beta", "Beta", _server.BaseUrl + "/b.zip", "b.zip", null, "Elsewhere/x.txt");
        WriteManifest(Entry("alpha", "Alpha", _server.BaseUrl + "/a.zip", "a.zip", null, "Alpha/x.txt"), bad);

        var r = Run("--datasets", "alpha");
        Assert.True(r.ExitCode == 2, r.Describe());
        Assert.Equal($"error: manifest {_manifest}, entry #2 (beta): 'marker' must be a path below 'Beta/' written with '/'", Assert.Single(r.Errors));
        Assert.Equal(0, _server.HitCount);
        Assert.False(Directory.Exists(_data));
    }

    [Theory]
    [InlineData("""[{"key":"a","folder":"A","url":"ftp://x/a.zip","archive":"a.zip","marker":"A/x"}]""", "entry #1 (a): 'url' must be an http(s) URL")]
    [InlineData("""[{"key":"a","folder":"A","url":"http://x/a.rar","archive":"a.rar","marker":"A/x"}]""", "entry #1 (a): 'archive' must be a file name ending in .zip, .tar, .tar.gz or .tgz")]
    [InlineData("""[{"key":"a","folder":"A","archive":"a.zip","marker":"A/x"}]""", "entry #1 (a): an entry needs a 'url' or 'manual' instructions")]
    [InlineData("""[{"key":"a","folder":"A","manual":"m","sha256":"abc","marker":"A/x"}]""", "entry #1 (a): 'sha256' must be 64 hex digits or null")]
    [InlineData("""[{"key":"a","folder":"A","manual":"m","marker":"A/x"},{"key":"a","folder":"B","manual":"m","marker":"B/x"}]""", "entry #2 (a): key 'a' appears twice")]
    [InlineData("""[{"key":"A b","folder":"A","manual":"m","marker":"A/x"}]""", "entry #1 (A b): 'key' must be lower-case")]
    [InlineData("""{"key":"a"}""", "must be a JSON array")]
    [InlineData("""[{"key":"a",""", "is not valid JSON")]
    public void ManifestErrorsNameTheSourceAndTheEntry(string json, string expected)
    {
        var e = Assert.Throws<TinierHarException>(() => DownloadManifest.Parse(json, "test.json"));
        Assert.StartsWith("manifest test.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void APresentMarkerMeansNothingIsDownloaded()
    {
        Directory.CreateDirectory(Path.Combine(_data, "Have", "x"));
        File.WriteAllText(Path.Combine(_data, "Have", "x", "marker.txt"), "synthetic");
        WriteManifest(Entry("have", "Have", _server.Serve("/have.zip", MakeZip(("x/marker.txt", "new"u8.ToArray()))), "have.zip", null, "Have/x/marker.txt"));

        var r = Run("have");  // a key as a positional works like --datasets
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Contains($"[have] have: already present ({Path.Combine(_data, "Have")})", r.Out);
        Assert.Contains("Done: 0 installed, 1 already present.", r.Out);
        Assert.Equal(0, _server.HitCount);
        Assert.Equal("synthetic", File.ReadAllText(Path.Combine(_data, "Have", "x", "marker.txt")));

        var list = Run("--list");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Matches(@"(?m)^have\s+present\s+auto\s+Have\s", list.Out);
    }

    [Fact]
    public void ACorruptArchiveLeavesNoHalfWrittenFolder_AndTheDownloadIsDeleted()
    {
        // The first half of a valid zip, served whole (no checksum pinned): the download succeeds, extraction fails.
        var zip = MakeZip(("c/a.bin", RandomBytes(60_000, seed: 12)), ("c/b.bin", RandomBytes(60_000, seed: 13)), ("c/marker.txt", "m"u8.ToArray()));
        var broken = zip[..(zip.Length / 2)];
        WriteManifest(Entry("corrupt", "Corrupt", _server.Serve("/corrupt.zip", broken), "corrupt.zip", null, "Corrupt/c/marker.txt"));
        Directory.CreateDirectory(Path.Combine(_data, ".tmp-corrupt-deadbeef")); // leftover of a killed run

        var r = Run("--datasets", "corrupt");
        Assert.True(r.ExitCode == 1, r.Describe());
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("error: [corrupt] corrupt: cannot extract corrupt.zip: the archive is corrupt or truncated", error);
        Assert.EndsWith("; the downloaded archive was deleted", error);
        Assert.False(Directory.Exists(Path.Combine(_data, "Corrupt")));
        AssertNoTempFolders();
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    [Fact]
    public void AnArchiveWithoutTheMarkerInstallsNothing_AndKeepsTheArchive()
    {
        var zip = MakeZip(("other/file.txt", "x"u8.ToArray()), ("top.txt", "y"u8.ToArray()));
        WriteManifest(Entry("layout", "Layout", _server.Serve("/layout.zip", zip), "layout.zip", Sha256(zip), "Layout/expected/marker.txt"));

        var r = Run("--datasets", "layout");
        Assert.True(r.ExitCode == 1, r.Describe());
        Assert.Equal($"error: [layout] layout: the archive does not have the expected layout: 'expected/marker.txt' is missing after extraction " +
            $"(top-level entries: other/, top.txt); the archive is kept at {Path.Combine(_data, "layout.zip")}", Assert.Single(r.Errors));
        Assert.False(Directory.Exists(Path.Combine(_data, "Layout")));
        AssertNoTempFolders();
        Assert.True(File.Exists(Path.Combine(_data, "layout.zip")));
    }

    [Fact]
    public void PlainTarAndTarGzArchivesAreExtracted_FromASourceFolder()
    {
        var source = Path.Combine(_tmp, "mirror");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "t.tar"), MakeTar(("t/marker.txt", "tar"u8.ToArray())));
        File.WriteAllBytes(Path.Combine(source, "g.tgz"), MakeTarGz(("g/marker.txt", "tgz"u8.ToArray())));
        WriteManifest(Entry("t", "T", _server.BaseUrl + "/t.tar", "t.tar", null, "T/t/marker.txt"),
                      Entry("g", "G", _server.BaseUrl + "/g.tgz", "g.tgz", null, "G/g/marker.txt"));

        var r = Run("--source", source);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal("tar", File.ReadAllText(Path.Combine(_data, "T", "t", "marker.txt")));
        Assert.Equal("tgz", File.ReadAllText(Path.Combine(_data, "G", "g", "marker.txt")));
        Assert.Equal(0, _server.HitCount);
    }

    [Fact]
    public void AServerThatStopsSendingTimesOut_KeepingThePartialFileForAResume()
    {
        var zip = MakeZip(("s/payload.bin", RandomBytes(100_000, seed: 14)));
        int cut = zip.Length / 2;
        var url = _server.Serve("/stall.zip", zip, cutAt: cut, stall: true);
        WriteManifest(Entry("stall", "Stall", url, "stall.zip", Sha256(zip), "Stall/s/payload.bin"));
        var o = new StringWriter();
        var e = new StringWriter();

        // 5 s, not 1: the same timeout guards the first answer, which a loaded machine (CI beside a study) can delay past 1 s.
        int code = new DatasetsDownloadCommand(o, e) { IdleTimeout = TimeSpan.FromSeconds(5) }
            .Run(["--manifest", _manifest, "--data", _data, "--datasets", "stall"]);
        Assert.True(code == 1, $"{code}\n{o}\n{e}");
        var partial = Path.Combine(_data, "stall.zip.partial");
        Assert.Equal($"error: [stall] stall: download of {url} interrupted after {cut} of {zip.Length} bytes (no data from the server for 5 s); " +
            $"the partial file {partial} is kept: re-run to resume", e.ToString().Trim());
        Assert.Equal(cut, new FileInfo(partial).Length);
        Assert.False(Directory.Exists(Path.Combine(_data, "Stall")));

        _server.Serve("/stall.zip", zip); // the server recovers: the next run resumes from the cut
        var r = Run("--datasets", "stall");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal($"bytes={cut}-", _server.Requests.Last().Range);
        Assert.True(File.Exists(Path.Combine(_data, "Stall", "s", "payload.bin")));
    }

    [Fact]
    public void AnHttpErrorNamesTheUrl_AndAManualEntryExplainsWhatToDo()
    {
        WriteManifest(Entry("gone", "Gone", _server.BaseUrl + "/gone.zip", "gone.zip", null, "Gone/x.txt"),
                      Entry("hand", "Hand", null, "hand.zip", null, "Hand/x.txt", manual: "Ask for hand.zip; save it as {data}/hand.zip."));

        var r = Run();
        Assert.True(r.ExitCode == 1, r.Describe());
        Assert.Equal($"error: [gone] gone: HTTP 404 Not Found from {_server.BaseUrl}/gone.zip", Assert.Single(r.Errors));
        Assert.Contains($"    Ask for hand.zip; save it as {_data}/hand.zip.", r.Out);
        Assert.Contains("Done: 0 installed, 0 already present, 1 need a manual download (hand), 1 failed (gone).", r.Out);
        Assert.False(File.Exists(Path.Combine(_data, "gone.zip.partial")));
    }

    [Fact]
    public void UnknownKeysAndBadOptionsExit2WithOneErrorLine()
    {
        WriteManifest(Entry("alpha", "Alpha", _server.BaseUrl + "/a.zip", "a.zip", null, "Alpha/x.txt"));
        var r = Run("--datasets", "alpha,nope");
        Assert.True(r.ExitCode == 2, r.Describe());
        Assert.Equal("error: unknown dataset 'nope'. Valid keys: alpha, all", Assert.Single(r.Errors));

        var bad = Run("--sauce", "x");
        Assert.True(bad.ExitCode == 2, bad.Describe());
        Assert.Equal("error: unknown option --sauce", Assert.Single(bad.Errors));
        Assert.False(Directory.Exists(_data));
    }
}
