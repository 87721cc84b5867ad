using System.Diagnostics;
using System.Text;
using System.Text.Json;
using static TinierHar.Tests.Download.SyntheticArchives;

namespace TinierHar.Tests.Download;

/// <summary>
/// End-to-end tests of download-datasets.ps1 (which forwards to <c>tinierhar datasets download</c> through
/// <c>dotnet run --project cli</c>), run with the repository's local PowerShell tool (dotnet pwsh). Every test writes its own manifest and small synthetic archives (made here, not real
/// datasets) into a temporary folder, and serves them from a loopback HTTP server on 127.0.0.1.
/// </summary>
public sealed class DownloadScriptTests : IDisposable
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRootAndRestoreTools);

    private readonly string _tmp;
    private readonly string _data;
    private readonly string _manifest;
    private readonly LoopbackHttpServer _server = new();

    public DownloadScriptTests()
    {
        _tmp = Path.Combine(Path.GetTempPath(), "tinierhar-dl-tests-" + Guid.NewGuid().ToString("N")[..10]);
        _data = Path.Combine(_tmp, "data");
        _manifest = Path.Combine(_tmp, "datasets.json");
        Directory.CreateDirectory(_tmp);
    }

    public void Dispose()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_tmp, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // ------------------------------------------------------------------ tests

    [Fact]
    public void GoodArchive_IsDownloadedVerifiedAndExtracted_AndASecondRunDownloadsNothing()
    {
        var payload = RandomBytes(200_000, seed: 1);
        var zip = MakeZip(("inner/readme.txt", "hello"u8.ToArray()), ("inner/payload.bin", payload));
        var url = _server.Serve("/good.zip", zip);
        WriteManifest(Entry("good", "Good", url, "good.zip", Sha256(zip), "Good/inner/readme.txt"));

        var first = Run("-Datasets", "good");
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_data, "Good", "inner", "readme.txt")));
        Assert.Equal(payload, File.ReadAllBytes(Path.Combine(_data, "Good", "inner", "payload.bin")));
        Assert.Contains("sha256 verified", first.StdOut);
        Assert.False(File.Exists(Path.Combine(_data, "good.zip")), "the archive is removed once installed");
        Assert.False(File.Exists(Path.Combine(_data, "good.zip.partial")));
        AssertNoTempFolders();
        var hits = _server.HitCount;
        Assert.Equal(1, hits);

        var second = Run("-Datasets", "good");
        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Contains("already present", second.StdOut);
        Assert.Equal(hits, _server.HitCount);

        var list = Run("-List");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Matches(@"(?m)^good\s+present\s", list.StdOut);
        Assert.Equal(hits, _server.HitCount);
    }

    [Fact]
    public void TruncatedDownload_FailsWithOneClearError_LeavesNoFolder_AndKeepsThePartialFile()
    {
        var zip = MakeZip(("x/payload.bin", RandomBytes(300_000, seed: 2)));
        var cut = zip.Length / 2;
        // Content-Length announces the whole file, but the server closes the connection half way.
        var url = _server.Serve("/trunc.zip", zip, cutAt: cut);
        WriteManifest(Entry("trunc", "Trunc", url, "trunc.zip", Sha256(zip), "Trunc/x/payload.bin"));

        var r = Run("-Datasets", "trunc");
        Assert.True(r.ExitCode == 1, r.Describe());
        var error = Assert.Single(ErrorLines(r));
        Assert.Contains("[trunc]", error);
        Assert.Contains("interrupted", error);
        Assert.Contains("re-run to resume", error);
        AssertNoStackTrace(r);
        Assert.False(Directory.Exists(Path.Combine(_data, "Trunc")));
        Assert.False(File.Exists(Path.Combine(_data, "trunc.zip")));
        Assert.Equal(cut, new FileInfo(Path.Combine(_data, "trunc.zip.partial")).Length);
        AssertNoTempFolders();
    }

    [Fact]
    public void ChecksumMismatch_FailsNamingBothHashes_AndExtractsNothing()
    {
        var zip = MakeZip(("b/file.txt", "payload"u8.ToArray()));
        var wrong = Sha256("something else"u8.ToArray());
        var url = _server.Serve("/bad.zip", zip);
        WriteManifest(Entry("bad", "Bad", url, "bad.zip", wrong, "Bad/b/file.txt"));

        var r = Run("-Datasets", "bad");
        Assert.True(r.ExitCode == 1, r.Describe());
        var error = Assert.Single(ErrorLines(r));
        Assert.Contains("[bad]", error);
        Assert.Contains(wrong, error);
        Assert.Contains(Sha256(zip), error);
        AssertNoStackTrace(r);
        Assert.False(Directory.Exists(Path.Combine(_data, "Bad")));
        Assert.False(File.Exists(Path.Combine(_data, "bad.zip")));
        Assert.False(File.Exists(Path.Combine(_data, "bad.zip.partial")));
        AssertNoTempFolders();
    }

    [Fact]
    public void ExistingPartialFile_IsResumedWithARangeRequest_AndTheResultVerifies()
    {
        var zip = MakeZip(("r/payload.bin", RandomBytes(250_000, seed: 3)), ("r/done.txt", "ok"u8.ToArray()));
        var half = zip.Length / 2;
        Directory.CreateDirectory(_data);
        File.WriteAllBytes(Path.Combine(_data, "res.zip.partial"), zip[..half]);
        var url = _server.Serve("/res.zip", zip);
        WriteManifest(Entry("res", "Res", url, "res.zip", Sha256(zip), "Res/r/done.txt"));

        var r = Run("-Datasets", "res");
        Assert.True(r.ExitCode == 0, r.Describe());
        var request = Assert.Single(_server.Requests);
        Assert.Equal($"bytes={half}-", request.Range);
        Assert.Contains("resuming", r.StdOut);
        Assert.Contains("sha256 verified", r.StdOut);
        Assert.Equal("ok", File.ReadAllText(Path.Combine(_data, "Res", "r", "done.txt")));
        Assert.False(File.Exists(Path.Combine(_data, "res.zip.partial")));
    }

    [Fact]
    public void ServerIgnoringTheRange_MakesTheDownloadStartOver()
    {
        var zip = MakeZip(("s/done.txt", "ok"u8.ToArray()), ("s/payload.bin", RandomBytes(100_000, seed: 4)));
        Directory.CreateDirectory(_data);
        File.WriteAllBytes(Path.Combine(_data, "over.zip.partial"), new byte[1000]); // not a prefix of the file
        var url = _server.Serve("/over.zip", zip, ignoreRange: true);
        WriteManifest(Entry("over", "Over", url, "over.zip", Sha256(zip), "Over/s/done.txt"));

        var r = Run("-Datasets", "over");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal("bytes=1000-", Assert.Single(_server.Requests).Range);
        Assert.Contains("starting over", r.StdOut);
        Assert.Equal("ok", File.ReadAllText(Path.Combine(_data, "Over", "s", "done.txt")));
    }

    [Fact]
    public void SourceFolder_SuppliesTheArchiveAndExtraFiles_WithoutAnyHttp()
    {
        // A .tar.gz (extracted with tar) plus an "extra" plain file, both taken from the local folder.
        var tgz = MakeTarGz(("Release_v1/raw.txt", "1,2,3;"u8.ToArray()));
        var info = "subject,age\n1,30\n"u8.ToArray();
        var source = Path.Combine(_tmp, "mirror");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "local.tar.gz"), tgz);
        File.WriteAllBytes(Path.Combine(source, "info.csv"), info);
        var entry = Entry("local", "Local", _server.BaseUrl + "/local.tar.gz", "local.tar.gz", Sha256(tgz), "Local/Release_v1/raw.txt");
        entry["extra"] = new[] { new Dictionary<string, object?> { ["file"] = "info.csv", ["url"] = _server.BaseUrl + "/info.csv", ["sha256"] = Sha256(info) } };
        WriteManifest(entry);

        var r = Run("-Datasets", "local", "-Source", source);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal(0, _server.HitCount);
        Assert.Equal("1,2,3;", File.ReadAllText(Path.Combine(_data, "Local", "Release_v1", "raw.txt")));
        Assert.Equal(info, File.ReadAllBytes(Path.Combine(_data, "Local", "info.csv")));
        Assert.True(File.Exists(Path.Combine(source, "local.tar.gz")), "the source folder is left untouched");
    }

    [Fact]
    public void SourceMirrorUrl_GetsTheArchiveByName_AndNestedArchiveAndIntoDataLayoutWork()
    {
        // Outer zip as UCI ships PAMAP2/UCI-HAR: an inner zip plus clutter; the inner zip holds "Nest/".
        var innerZip = MakeZip(("Nest/Protocol/s1.dat", "1 2 3"u8.ToArray()));
        var outer = MakeZip(("Inner.zip", innerZip), ("readme.pdf", "pdf"u8.ToArray()), ("__MACOSX/._Inner.zip", "x"u8.ToArray()));
        _server.Serve("/mirror/nest.zip", outer);
        var entry = Entry("nest", "Nest", _server.BaseUrl + "/official/nest.zip", "nest.zip", Sha256(outer), "Nest/Protocol/s1.dat");
        entry["extract"] = "into-data";
        entry["inner"] = new[] { "Inner.zip" };
        WriteManifest(entry);

        var r = Run("-Datasets", "nest", "-Source", _server.BaseUrl + "/mirror/");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Equal("/mirror/nest.zip", Assert.Single(_server.Requests).Path);
        Assert.Equal("1 2 3", File.ReadAllText(Path.Combine(_data, "Nest", "Protocol", "s1.dat")));
        Assert.False(Directory.Exists(Path.Combine(_data, "__MACOSX")));
        Assert.Equal(new[] { "Nest" }, Directory.GetFileSystemEntries(_data).Select(e => Path.GetFileName(e)).ToArray());
    }

    [Fact]
    public void ManualDataset_PrintsTheInstructionsAndExits1_ThenInstallsAnArchivePutInPlaceByHand()
    {
        WriteManifest(Entry("man", "Manual", url: null, archive: "man.zip", sha256: null, marker: "Manual/m/file.txt",
            manual: "Ask the lab for man.zip and save it as {data}/man.zip, then re-run."));

        var r = Run("-Datasets", "man");
        Assert.True(r.ExitCode == 1, r.Describe());
        Assert.Contains($"Ask the lab for man.zip and save it as {_data}/man.zip, then re-run.", r.StdOut);
        Assert.Contains("manual download", r.StdOut);
        Assert.False(Directory.Exists(Path.Combine(_data, "Manual")));

        File.WriteAllBytes(Path.Combine(_data, "man.zip"), MakeZip(("m/file.txt", "by hand"u8.ToArray())));
        var again = Run("-Datasets", "man");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Equal("by hand", File.ReadAllText(Path.Combine(_data, "Manual", "m", "file.txt")));
        Assert.Equal(0, _server.HitCount);
    }

    [Fact]
    public void UnknownKey_Exits2_ListingTheValidKeys()
    {
        WriteManifest(
            Entry("alpha", "Alpha", _server.BaseUrl + "/a.zip", "a.zip", null, "Alpha/x.txt"),
            Entry("beta", "Beta", url: null, archive: null, sha256: null, marker: "Beta/x.txt", manual: "by hand"));

        var r = Run("-Datasets", "alpha,nope");
        Assert.True(r.ExitCode == 2, r.Describe());
        var error = Assert.Single(ErrorLines(r));
        Assert.Contains("'nope'", error);
        Assert.Contains("alpha, beta", error);
        AssertNoStackTrace(r);
        Assert.Equal(0, _server.HitCount);
        Assert.False(Directory.Exists(_data));
    }

    // ------------------------------------------------------------------ helpers

    private sealed record RunResult(int ExitCode, string StdOut, string StdErr)
    {
        public string Describe() => $"exit code {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
    }

    private RunResult Run(params string[] args)
    {
        var root = RepoRootLazy.Value;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "download-datasets.ps1"), "-Manifest", _manifest, "-Data", _data })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("TINIERHAR_DATA");
        return RunProcess(psi);
    }

    private static RunResult RunProcess(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + psi.FileName);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish in 90 s");
        }
        p.WaitForExit();
        return new RunResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRepoRootAndRestoreTools()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "download-datasets.ps1")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("download-datasets.ps1 not found above " + AppContext.BaseDirectory);
        }
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("tool");
        psi.ArgumentList.Add("restore");
        var r = RunProcess(psi);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet tool restore failed: " + r.Describe());
        }
        return dir.FullName;
    }

    private static Dictionary<string, object?> Entry(string key, string folder, string? url, string? archive, string? sha256, string marker, string? manual = null) =>
        new()
        {
            ["key"] = key,
            ["name"] = $"Test dataset {key}",
            ["folder"] = folder,
            ["url"] = url,
            ["archive"] = archive,
            ["sha256"] = sha256,
            ["extract"] = "into-folder",
            ["marker"] = marker,
            ["manual"] = manual,
        };

    private void WriteManifest(params Dictionary<string, object?>[] entries) =>
        File.WriteAllText(_manifest, JsonSerializer.Serialize(entries, new JsonSerializerOptions { WriteIndented = true }));

    private static IEnumerable<string> ErrorLines(RunResult r) =>
        r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal));

    private static void AssertNoStackTrace(RunResult r)
    {
        var all = r.StdOut + r.StdErr;
        Assert.DoesNotContain("Line |", all);
        Assert.DoesNotContain("ScriptStackTrace", all);
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("download-datasets.ps1:", all);
    }

    private void AssertNoTempFolders()
    {
        if (Directory.Exists(_data))
        {
            Assert.Empty(Directory.GetDirectories(_data, ".tmp-*"));
        }
    }
}
