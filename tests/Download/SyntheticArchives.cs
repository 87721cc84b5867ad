using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace TinierHar.Tests.Download;

/// <summary>Small SYNTHETIC archives and payloads for the download tests (made here; no real dataset, no network).</summary>
internal static class SyntheticArchives
{
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A small synthetic zip archive (stored, so random payloads keep their size).</summary>
    public static byte[] MakeZip(params (string Path, byte[] Content)[] files)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
                using var s = entry.Open();
                s.Write(content);
            }
        }
        return ms.ToArray();
    }

    /// <summary>A small synthetic .tar.gz archive.</summary>
    public static byte[] MakeTarGz(params (string Path, byte[] Content)[] files)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }
        return ms.ToArray();
    }

    /// <summary>A small synthetic .tar archive (uncompressed).</summary>
    public static byte[] MakeTar(params (string Path, byte[] Content)[] files)
    {
        using var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }
        return ms.ToArray();
    }
}
