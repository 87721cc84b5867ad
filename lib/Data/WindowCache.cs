using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TinierHar.Data;

/// <summary>What a cache lookup found.</summary>
public enum CacheOutcome
{
    Hit,
    Missing,
    /// <summary>A valid file for other inputs (dataset files, loader version, options or format changed).</summary>
    Stale,
    /// <summary>Truncated, damaged or unreadable: never trusted.</summary>
    Corrupt,
}

/// <summary>Result of <see cref="WindowCache.TryRead"/>.</summary>
public sealed record CacheProbe(CacheOutcome Outcome, string Path, string? Reason = null);

/// <summary>
/// Binary cache of a dataset's loaded recordings, one file per (dataset, loader options), so that a second load skips
/// parsing the original files. Replaces the reference's pickled window-index files (<c>window_save_path</c>), which
/// were keyed by name only and trusted blindly.
/// </summary>
/// <remarks>
/// <para><b>What is cached.</b> The loader's output: every <see cref="Recording"/> (subject, block, raw samples, raw labels).
/// Windows are re-cut (<see cref="Windowing"/>, O(rows)) and the normalisation is re-fitted per fold on the raw rows
/// (<see cref="Protocol.Fit"/>), which keeps the per-fold statistics exact and the file about half the size of cached
/// overlapping windows.</para>
/// <para><b>Key.</b> SHA-256 of: the format version, dataset key, loader type name and <see cref="DatasetInfo.LoaderVersion"/>,
/// the options, C, and for every file below the dataset folder its relative path, size and last-write time (UTC).</para>
/// <para><b>Format</b> (little-endian): magic <c>THWCACHE</c>, int32 format version, 32-byte key; payload: dataset key
/// (int32 length + UTF-8), options byte, int32 C, int32 recording count, then per recording int32 subject, block string,
/// int32 rows, float32[rows·C] samples, int32[rows] labels; trailer: CRC-32C (<see cref="Crc32C"/>) of all bytes before
/// it. A file with a wrong magic, length, structure or checksum is corrupt; a valid one with another version or key is stale; both are rebuilt.</para>
/// <para><b>Writing</b> goes to <c>&lt;file&gt;.&lt;pid&gt;.&lt;guid&gt;.tinierhar-tmp</c> in the cache folder, flushed, then moved over
/// the final name, so a reader never sees a half-written file; a failed write deletes its temp file, and temp files of
/// processes that no longer run are removed on the next write.</para>
/// </remarks>
public sealed class WindowCache
{
    public const int FormatVersion = 2;
    static readonly byte[] Magic = "THWCACHE"u8.ToArray();
    const int KeyBytes = 32, ChecksumBytes = 4;
    public const string TempSuffix = ".tinierhar-tmp";

    public WindowCache(string directory) => Directory = Path.GetFullPath(directory);

    /// <summary>Absolute path of the cache folder (created on first write).</summary>
    public string Directory { get; }

    /// <summary><c>--cache DIR</c>, else <c>data/cache</c> under the repository root (see <see cref="DataFolder.RepositoryRoot"/>).</summary>
    public static WindowCache Resolve(string? option, string? startDirectory = null) =>
        new(!string.IsNullOrWhiteSpace(option) ? option : Path.Combine(DataFolder.RepositoryRoot(startDirectory), "data", "cache"));

    /// <summary>The one cache file of a (dataset, options) pair.</summary>
    public string FileFor(DatasetInfo info, LoaderOptions options) =>
        Path.Combine(Directory, $"{info.Key}.{(options.ReferenceQuirks ? "reference" : "corrected")}.thwc");

    /// <summary>The cache key of a dataset folder's current content.</summary>
    public static byte[] ComputeKey(DatasetInfo info, string root, LoaderOptions options)
    {
        var text = new StringBuilder();
        text.Append("tinierhar-recordings-cache\n").Append(FormatVersion).Append('\n')
            .Append(info.Key).Append('\n').Append(info.CreateLoader().GetType().Name).Append('\n').Append(info.LoaderVersion).Append('\n')
            .Append(options.ReferenceQuirks ? "quirks" : "corrected").Append('\n').Append(info.C).Append('\n');
        var rootFull = Path.GetFullPath(root);
        var files = System.IO.Directory.EnumerateFiles(rootFull, "*", new EnumerationOptions
        {
            RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false,
        })
            .Select(f => (Rel: Path.GetRelativePath(rootFull, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Rel, StringComparer.Ordinal);
        foreach (var (rel, full) in files)
        {
            var fi = new FileInfo(full);
            text.Append(rel).Append('\t').Append(fi.Length).Append('\t').Append(fi.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Reads the cached recordings if the file exists, is intact and was written for <paramref name="key"/>.</summary>
    public CacheProbe TryRead(DatasetInfo info, LoaderOptions options, byte[] key, out IReadOnlyList<Recording>? recordings)
    {
        recordings = null;
        var path = FileFor(info, options);
        if (!File.Exists(path)) return new CacheProbe(CacheOutcome.Missing, path);
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            long length = fs.Length;
            int header = Magic.Length + 4 + KeyBytes;
            if (length < header + ChecksumBytes) return new CacheProbe(CacheOutcome.Corrupt, path, $"truncated ({length} bytes)");
            var reader = new Reader(fs, length - ChecksumBytes);
            if (!reader.Bytes(Magic.Length).SequenceEqual(Magic)) return new CacheProbe(CacheOutcome.Corrupt, path, "not a cache file (bad magic)");
            int version = reader.Int32();
            if (version != FormatVersion) return new CacheProbe(CacheOutcome.Stale, path, $"format version {version}, expected {FormatVersion}");
            if (!reader.Bytes(KeyBytes).SequenceEqual(key))
                return new CacheProbe(CacheOutcome.Stale, path, "dataset files, loader version or options changed");
            var datasetKey = reader.String();
            bool quirks = reader.Byte() != 0;
            int channels = reader.Int32();
            if (datasetKey != info.Key || quirks != options.ReferenceQuirks || channels != info.C)
                return new CacheProbe(CacheOutcome.Stale, path, $"written for {datasetKey} C={channels}");
            int count = reader.Int32();
            if (count < 0) throw new FormatException("negative recording count");
            var list = new List<Recording>(Math.Min(count, 1 << 16));
            for (int i = 0; i < count; i++)
            {
                int subject = reader.Int32();
                var block = reader.String();
                int rows = reader.Int32();
                if (rows < 0 || 4L * rows * (channels + 1) > reader.Remaining) throw new FormatException($"recording {i}: {rows} rows do not fit in the file");
                var samples = reader.Floats(rows * channels);
                var labels = reader.Ints(rows);
                list.Add(new Recording(subject, block, samples, channels, labels));
            }
            if (reader.Remaining != 0) throw new FormatException($"{reader.Remaining} unexpected bytes before the checksum");
            var stored = new byte[ChecksumBytes];
            fs.ReadExactly(stored);
            if (BinaryPrimitives.ReadUInt32LittleEndian(stored) != reader.Crc)
                return new CacheProbe(CacheOutcome.Corrupt, path, "checksum mismatch (damaged file)");
            recordings = list;
            return new CacheProbe(CacheOutcome.Hit, path);
        }
        catch (Exception e) when (e is FormatException or OverflowException or EndOfStreamException)
        {
            return new CacheProbe(CacheOutcome.Corrupt, path, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CacheProbe(CacheOutcome.Corrupt, path, $"unreadable: {e.Message}");
        }
    }

    /// <summary>Writes the cache file atomically (temp file + move). On failure no final file is replaced or left half-written.</summary>
    public string Write(DatasetInfo info, LoaderOptions options, byte[] key, IReadOnlyList<Recording> recordings)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the cache format is little-endian");
        if (key.Length != KeyBytes) throw new ArgumentException($"key must be {KeyBytes} bytes", nameof(key));
        System.IO.Directory.CreateDirectory(Directory);
        var path = FileFor(info, options);
        RemoveOrphanedTemps(path);
        var tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}";   // unique per writer, pid first
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                uint crc = 0;
                var scratch = new byte[8];
                void Put(ReadOnlySpan<byte> b) { crc = Crc32C.Append(crc, b); fs.Write(b); }
                void PutInt(int v) { BinaryPrimitives.WriteInt32LittleEndian(scratch, v); Put(scratch.AsSpan(0, 4)); }
                void PutString(string s) { var b = Encoding.UTF8.GetBytes(s); PutInt(b.Length); Put(b); }

                Put(Magic);
                PutInt(FormatVersion);
                Put(key);
                PutString(info.Key);
                Put([(byte)(options.ReferenceQuirks ? 1 : 0)]);
                PutInt(info.C);
                PutInt(recordings.Count);
                foreach (var r in recordings)
                {
                    if (r.Channels != info.C || r.Samples.Length != (long)r.Labels.Length * r.Channels)
                        throw new TinierHarException($"dataset '{info.Key}', block '{r.Block}': {r.Samples.Length} samples for {r.Labels.Length} rows × {r.Channels} channels (expected C={info.C})");
                    PutInt(r.Subject);
                    PutString(r.Block);
                    PutInt(r.Labels.Length);
                    Put(MemoryMarshal.AsBytes(r.Samples.AsSpan()));
                    Put(MemoryMarshal.AsBytes(r.Labels.AsSpan()));
                }
                BinaryPrimitives.WriteUInt32LittleEndian(scratch, crc);
                fs.Write(scratch.AsSpan(0, ChecksumBytes));
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
            return path;
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Deletes the cache file of a (dataset, options) pair, if any.</summary>
    public void Delete(DatasetInfo info, LoaderOptions options) => TryDelete(FileFor(info, options));

    /// <summary>Removes <c>&lt;file&gt;.&lt;pid&gt;.*.tinierhar-tmp</c> files whose writing process is gone (killed mid-write).</summary>
    static void RemoveOrphanedTemps(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        var prefix = Path.GetFileName(path) + ".";
        foreach (var f in System.IO.Directory.EnumerateFiles(dir, prefix + "*" + TempSuffix))
        {
            var middle = Path.GetFileName(f)[prefix.Length..^TempSuffix.Length];
            var pidText = middle.Split('.')[0];
            if (int.TryParse(pidText, out var pid) && (pid == Environment.ProcessId || IsRunning(pid))) continue;
            TryDelete(f);
        }
    }

    static bool IsRunning(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Bounds-checked little-endian reader over the file up to the checksum, accumulating the CRC.</summary>
    sealed class Reader(Stream stream, long end)
    {
        readonly byte[] _scratch = new byte[256];
        public uint Crc { get; private set; }
        public long Remaining => end - stream.Position;

        void Fill(Span<byte> target)
        {
            if (target.Length > Remaining) throw new FormatException($"file ends early (need {target.Length} bytes at offset {stream.Position})");
            stream.ReadExactly(target);
            Crc = Crc32C.Append(Crc, target);
        }

        public byte[] Bytes(int n)
        {
            var b = new byte[n];
            Fill(b);
            return b;
        }

        public byte Byte() { Fill(_scratch.AsSpan(0, 1)); return _scratch[0]; }

        public int Int32() { Fill(_scratch.AsSpan(0, 4)); return BinaryPrimitives.ReadInt32LittleEndian(_scratch); }

        public string String()
        {
            int n = Int32();
            if (n < 0 || n > 1 << 20) throw new FormatException($"bad string length {n}");
            return Encoding.UTF8.GetString(Bytes(n));
        }

        public float[] Floats(int n)
        {
            var a = new float[n];
            Fill(MemoryMarshal.AsBytes(a.AsSpan()));
            return a;
        }

        public int[] Ints(int n)
        {
            var a = new int[n];
            Fill(MemoryMarshal.AsBytes(a.AsSpan()));
            return a;
        }
    }
}
