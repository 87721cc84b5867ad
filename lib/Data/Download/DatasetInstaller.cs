namespace TinierHar.Data.Download;

/// <summary>
/// Installs one manifest entry into the data folder:
/// <list type="bullet">
/// <item>marker present → <see cref="InstallOutcome.Present"/>, nothing downloaded;</item>
/// <item>the archive is taken from <c>&lt;data&gt;/&lt;archive&gt;</c> when it is there (put there by hand or by an
/// earlier run), else from <see cref="DownloadSettings.Source"/>, else downloaded from the entry's URL
/// (<see cref="HttpFetcher"/>: <c>.partial</c> file, resumed);</item>
/// <item>its SHA-256 is verified when the entry pins one;</item>
/// <item>it is extracted (inner archives too, <c>__MACOSX</c> dropped) into <c>&lt;data&gt;/.tmp-&lt;key&gt;-&lt;id&gt;</c>, the marker
/// is checked there, and the result is renamed into <c>&lt;data&gt;/&lt;folder&gt;</c>: a failure never leaves a
/// half-extracted dataset;</item>
/// <item>an entry without an automatic source prints its manual instructions → <see cref="InstallOutcome.Manual"/>.</item>
/// </list>
/// Failures are <see cref="TinierHarException"/>s with one line saying what was expected (and whether a file was kept).
/// </summary>
public sealed class DatasetInstaller(DownloadSettings settings, HttpFetcher fetcher, Action<string> log)
{
    string DataDir => settings.DataDir;

    public async Task<InstallOutcome> InstallAsync(DatasetDownload e)
    {
        var key = e.Key;
        if (e.IsInstalledIn(DataDir))
        {
            log($"[{key}] {e.DisplayName}: already present ({Path.Combine(DataDir, e.Folder)})");
            return InstallOutcome.Present;
        }
        // Leftovers of an interrupted extraction (the process was killed): never a dataset, always safe to drop.
        if (Directory.Exists(DataDir))
            foreach (var dir in Directory.GetDirectories(DataDir, $".tmp-{key}-*"))
                TryDelete(dir);

        if (e.Archive is null) { WriteManual(e, "manual download needed."); return InstallOutcome.Manual; }

        var archiveLocal = Path.Combine(DataDir, e.Archive);
        string archivePath;
        bool owned = false;      // the archive is in the data folder and may be deleted here
        bool fetchedNow = false;
        if (File.Exists(archiveLocal))
        {
            log($"[{key}] using the archive already in the data folder: {archiveLocal}");
            archivePath = archiveLocal; owned = true;
        }
        else
        {
            var origin = Resolve(e.Archive, e.Url);
            if (origin.Path is { } path) { log($"[{key}] using {path}"); archivePath = path; }
            else if (origin.Url is { } url)
            {
                Directory.CreateDirectory(DataDir);
                try { await fetcher.FetchAsync(url, archiveLocal, key); }
                catch (TinierHarException) when (e.Manual is not null)
                {
                    WriteManual(e, "the automatic download failed; to fetch it by hand:");
                    throw;
                }
                archivePath = archiveLocal; owned = true; fetchedNow = true;
            }
            else if (origin.Missing is { } missing)
            {
                if (e.Url is null) { WriteManual(e, $"manual download needed ({e.Archive} is not in the source folder)."); return InstallOutcome.Manual; }
                throw new TinierHarException($"{e.Archive} not found in the source folder ({missing})");
            }
            else { WriteManual(e, "manual download needed."); return InstallOutcome.Manual; }
        }

        Sha256Check.Verify(archivePath, e.Sha256, owned, key, log);

        var extras = new List<(ExtraFile File, string Path, bool Owned)>();
        foreach (var x in e.Extra)
        {
            var local = Path.Combine(DataDir, $"{e.Folder}.{x.File}");
            string path;
            if (File.Exists(local)) path = local;
            else
            {
                var o = Resolve(x.File, x.Url);
                if (o.Path is { } p) path = p;
                else if (o.Url is { } u) { Directory.CreateDirectory(DataDir); await fetcher.FetchAsync(u, local, key); path = local; }
                else throw new TinierHarException($"{x.File} not found in the source folder ({o.Missing})");
            }
            Sha256Check.Verify(path, x.Sha256, path == local, key, log);
            extras.Add((x, path, path == local));
        }

        try { InstallArchive(e, archivePath, extras.Select(x => (x.File.File, x.Path)).ToList()); }
        catch (TinierHarException ex)
        {
            var msg = ex.Message;
            if (fetchedNow && msg.Contains("corrupt or truncated", StringComparison.Ordinal))
            {
                TryDeleteFile(archivePath);
                msg += "; the downloaded archive was deleted";
            }
            else if (owned) msg += $"; the archive is kept at {archivePath}";
            if (e.Manual is not null) WriteManual(e, "could not be installed automatically; to do it by hand:");
            throw new TinierHarException(msg);
        }
        if (owned) TryDeleteFile(archivePath);
        foreach (var x in extras) if (x.Owned) TryDeleteFile(x.Path);
        log($"[{key}] {e.DisplayName}: installed in {Path.Combine(DataDir, e.Folder)}");
        return InstallOutcome.Installed;
    }

    /// <summary>Where an archive or extra file comes from: a local path, a URL, or a path in the source folder that is missing.</summary>
    sealed record Origin(string? Path = null, string? Url = null, string? Missing = null);

    Origin Resolve(string fileName, string? officialUrl)
    {
        if (settings.Source is { } source)
        {
            if (settings.SourceIsUrl) return new Origin(Url: source.TrimEnd('/') + "/" + Uri.EscapeDataString(fileName));
            var p = Path.Combine(source, fileName);
            return File.Exists(p) ? new Origin(Path: p) : new Origin(Missing: p);
        }
        return officialUrl is null ? new Origin() : new Origin(Url: officialUrl);
    }

    /// <summary>
    /// Extracts the archive into a temporary folder inside the data folder, checks the marker there, and renames the
    /// result into <c>&lt;data&gt;/&lt;folder&gt;</c>. Nothing appears below <c>&lt;data&gt;/&lt;folder&gt;</c> unless all of it worked.
    /// </summary>
    void InstallArchive(DatasetDownload e, string archivePath, IReadOnlyList<(string File, string Path)> extras)
    {
        var tmp = Path.Combine(DataDir, $".tmp-{e.Key}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(tmp);
        try
        {
            log($"[{e.Key}] extracting {Path.GetFileName(archivePath)}");
            ArchiveExtractor.Extract(archivePath, tmp);
            foreach (var inner in e.Inner)
            {
                var innerPath = Path.Combine(tmp, inner);
                if (!File.Exists(innerPath))
                    throw new TinierHarException($"the archive does not contain the expected inner archive '{inner}' (top-level entries: {TopEntries(tmp)})");
                log($"[{e.Key}] extracting inner archive {inner}");
                ArchiveExtractor.Extract(innerPath, Path.GetDirectoryName(innerPath)!);
                File.Delete(innerPath);
            }
            var mac = Path.Combine(tmp, "__MACOSX");
            if (Directory.Exists(mac)) Directory.Delete(mac, recursive: true);

            var root = tmp;
            if (e.Extract == ExtractMode.IntoData)
            {
                root = Path.Combine(tmp, e.Folder);
                if (!Directory.Exists(root))
                    throw new TinierHarException($"the archive has no top-level folder '{e.Folder}/' (top-level entries: {TopEntries(tmp)})");
            }
            var relMarker = e.Marker[(e.Folder.Length + 1)..];
            if (!Exists(Path.Combine(root, relMarker)))
            {
                // Tolerate one wrapping folder around the expected layout (some mirrors re-pack archives so).
                var dirs = Directory.GetDirectories(root);
                if (dirs.Length == 1 && Directory.GetFiles(root).Length == 0 && Exists(Path.Combine(dirs[0], relMarker)))
                {
                    log($"[{e.Key}] the archive wraps its content in '{Path.GetFileName(dirs[0])}/'; using that folder's content");
                    root = dirs[0];
                }
                else throw new TinierHarException($"the archive does not have the expected layout: '{relMarker}' is missing after extraction (top-level entries: {TopEntries(root)})");
            }
            foreach (var (file, path) in extras) File.Copy(path, Path.Combine(root, file), overwrite: true);

            var dest = Path.Combine(DataDir, e.Folder);
            if (!Directory.Exists(dest)) Directory.Move(root, dest);
            else
            {
                // The folder exists (e.g. WISDM/ holding another WISDM release): add the new top-level entries,
                // refusing to touch any that already exist.
                var entries = Directory.GetFileSystemEntries(root);
                var clash = entries.Select(Path.GetFileName).Where(n => Exists(Path.Combine(dest, n!))).ToList();
                if (clash.Count > 0)
                    throw new TinierHarException($"cannot install into the existing folder {dest}: it already has {string.Join(", ", clash)} but not the marker {e.Marker}; move those away and re-run");
                foreach (var it in entries)
                {
                    var target = Path.Combine(dest, Path.GetFileName(it));
                    if (Directory.Exists(it)) Directory.Move(it, target); else File.Move(it, target);
                }
            }
        }
        finally
        {
            TryDelete(tmp);
        }
        if (!e.IsInstalledIn(DataDir)) throw new TinierHarException($"installation finished but the marker {e.Marker} is missing");
    }

    void WriteManual(DatasetDownload e, string why)
    {
        log($"[{e.Key}] {e.DisplayName}: {why}");
        if (e.Manual is not null)
            foreach (var line in e.Manual.Replace("{data}", DataDir).Split('\n')) log($"    {line}");
        log($"    When done, '{e.Marker}' must exist below {DataDir}.");
    }

    static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    static string TopEntries(string dir)
    {
        var names = Directory.GetFileSystemEntries(dir).Order(StringComparer.Ordinal)
            .Select(p => Directory.Exists(p) ? Path.GetFileName(p) + "/" : Path.GetFileName(p)).ToList();
        if (names.Count == 0) return "(empty)";
        if (names.Count > 8) names = [.. names.Take(8), "..."];
        return string.Join(", ", names);
    }

    static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    static void TryDeleteFile(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
