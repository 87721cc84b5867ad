using System.Text.Json;
using System.Text.RegularExpressions;

namespace TinierHar.Data.Download;

/// <summary>
/// A dataset download manifest: a JSON array of <see cref="DatasetDownload"/> entries. <see cref="BuiltIn"/> is the
/// repository's <c>data/datasets.json</c>, compiled into the library (TinierHar.Lib.csproj embeds it), so the registry
/// and <c>tinierhar datasets download</c> read the same facts; <c>--manifest FILE</c> loads another one.
/// Every entry is checked; a bad one is a <see cref="TinierHarException"/> naming the file, the entry and the field.
/// </summary>
public sealed partial class DownloadManifest
{
    const string ResourceName = "TinierHar.Data.datasets.json";
    const string BuiltInLabel = "data/datasets.json (built in)";

    static readonly Lazy<DownloadManifest> _builtIn = new(LoadBuiltIn);

    DownloadManifest(string source, IReadOnlyList<DatasetDownload> entries)
    {
        Source = source;
        Entries = entries;
    }

    /// <summary>The repository's manifest, <c>data/datasets.json</c> as it was when the library was built.</summary>
    public static DownloadManifest BuiltIn => _builtIn.Value;

    /// <summary>Where the manifest came from (a path, or <c>data/datasets.json (built in)</c>).</summary>
    public string Source { get; }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<DatasetDownload> Entries { get; }

    public IReadOnlyList<string> Keys => Entries.Select(e => e.Key).ToArray();

    /// <summary>The entry of <paramref name="key"/> (case-insensitive) or a message naming the manifest and the valid keys.</summary>
    public DatasetDownload Get(string key) =>
        Entries.FirstOrDefault(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
        ?? throw new TinierHarException($"manifest {Source} has no entry '{key}' (keys: {string.Join(", ", Keys)})");

    /// <summary>Reads and checks a manifest file.</summary>
    public static DownloadManifest Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new TinierHarException($"manifest not found: {full}");
        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses and checks manifest JSON; <paramref name="source"/> names it in messages.</summary>
    public static DownloadManifest Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new TinierHarException($"manifest {source} is not valid JSON: {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new TinierHarException($"manifest {source} must be a JSON array of entries");
            var entries = new List<DatasetDownload>();
            int n = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                n++;
                var entry = ReadEntry(item, $"manifest {source}, entry #{n}");
                if (entries.Any(e => e.Key == entry.Key)) throw new TinierHarException($"manifest {source}, entry #{n} ({entry.Key}): key '{entry.Key}' appears twice");
                entries.Add(entry);
            }
            if (entries.Count == 0) throw new TinierHarException($"manifest {source} lists no dataset");
            return new DownloadManifest(source, entries);
        }
    }

    static DownloadManifest LoadBuiltIn()
    {
        using var stream = typeof(DownloadManifest).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} missing: TinierHar.Lib.csproj embeds data/datasets.json");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), BuiltInLabel);
    }

    static DatasetDownload ReadEntry(JsonElement it, string at)
    {
        if (it.ValueKind != JsonValueKind.Object) throw new TinierHarException($"{at}: not a JSON object");
        var key = Text(it, "key", at) ?? "";
        var where = $"{at} ({key})";
        TinierHarException Bad(string what) => new($"{where}: {what}");

        if (!KeyPattern().IsMatch(key)) throw Bad("'key' must be lower-case letters, digits, '-' or '_'");
        var folder = Text(it, "folder", where) ?? "";
        if (folder.Length == 0 || folder.Contains('/') || folder.Contains('\\') || folder is "." or "..") throw Bad("'folder' must be one plain folder name");
        var marker = Text(it, "marker", where) ?? "";
        if (!marker.StartsWith(folder + "/", StringComparison.Ordinal) || marker.Length <= folder.Length + 1 || marker.Contains('\\')
            || marker.Split('/').Contains(".."))
            throw Bad($"'marker' must be a path below '{folder}/' written with '/'");
        var extract = (Text(it, "extract", where) ?? "into-folder") switch
        {
            "into-folder" => ExtractMode.IntoFolder,
            "into-data" => ExtractMode.IntoData,
            _ => throw Bad("'extract' must be 'into-folder' or 'into-data'"),
        };
        var archive = Text(it, "archive", where);
        var url = Text(it, "url", where);
        var manual = Text(it, "manual", where);
        var sha = Text(it, "sha256", where)?.ToLowerInvariant();
        if (archive is not null && (archive.Contains('/') || archive.Contains('\\') || ArchiveExtractor.KindOf(archive) is null))
            throw Bad($"'archive' must be a file name ending in {ArchiveExtractor.Supported}");
        if (url is not null && !IsHttpUrl(url)) throw Bad("'url' must be an http(s) URL");
        if (url is not null && archive is null) throw Bad("an entry with a 'url' needs an 'archive' file name");
        if (url is null && manual is null) throw Bad("an entry needs a 'url' or 'manual' instructions");
        if (sha is not null && !Sha256Pattern().IsMatch(sha)) throw Bad("'sha256' must be 64 hex digits or null");

        var inner = new List<string>();
        foreach (var x in Items(it, "inner", where))
        {
            if (x.ValueKind != JsonValueKind.String || x.GetString() is not { } s || s.Replace('\\', '/').Split('/').Contains("..") || ArchiveExtractor.KindOf(s) is null)
                throw Bad("'inner' must list archive paths inside the archive");
            inner.Add(s);
        }
        var extra = new List<ExtraFile>();
        foreach (var x in Items(it, "extra", where))
        {
            string? file = null, xurl = null, xsha = null;
            if (x.ValueKind == JsonValueKind.Object)
            {
                file = Text(x, "file", where); xurl = Text(x, "url", where); xsha = Text(x, "sha256", where)?.ToLowerInvariant();
            }
            if (file is null || file.Contains('/') || file.Contains('\\') || xurl is null || !IsHttpUrl(xurl) || (xsha is not null && !Sha256Pattern().IsMatch(xsha)))
                throw Bad("each 'extra' item needs a plain 'file' name, an http(s) 'url' and an optional 'sha256'");
            extra.Add(new ExtraFile(file, xurl, xsha));
        }
        return new DatasetDownload
        {
            Key = key, Name = Text(it, "name", where), Folder = folder, Url = url, Archive = archive, Sha256 = sha,
            Extract = extract, Inner = inner, Extra = extra, Marker = marker, Manual = manual,
        };
    }

    /// <summary>A string property; null when absent, JSON null or empty.</summary>
    static string? Text(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new TinierHarException($"{where}: '{name}' must be a string or null");
        var s = v.GetString();
        return string.IsNullOrEmpty(s) ? null : s;
    }

    static IEnumerable<JsonElement> Items(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array) throw new TinierHarException($"{where}: '{name}' must be a JSON array");
        return v.EnumerateArray().ToArray();
    }

    public static bool IsHttpUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
