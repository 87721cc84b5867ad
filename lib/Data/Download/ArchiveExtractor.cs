using System.Formats.Tar;
using System.IO.Compression;

namespace TinierHar.Data.Download;

/// <summary>The archive formats the downloader extracts (all with the BCL: no external <c>tar</c> or <c>unzip</c>).</summary>
public enum ArchiveKind { Zip, Tar, TarGz }

/// <summary>
/// Extracts .zip, .tar and .tar.gz/.tgz archives into a folder. A corrupt or truncated archive is a
/// <see cref="TinierHarException"/> whose message starts "cannot extract NAME: the archive is corrupt or truncated".
/// RAR is not supported (no BCL reader; the one dataset that may come as .rar, SHO, is a manual download).
/// </summary>
public static class ArchiveExtractor
{
    /// <summary>The file name endings <see cref="KindOf"/> accepts, for messages.</summary>
    public const string Supported = ".zip, .tar, .tar.gz or .tgz";

    /// <summary>The archive kind of a file name, or null when it is none of <see cref="Supported"/>.</summary>
    public static ArchiveKind? KindOf(string fileName)
    {
        var f = fileName.ToLowerInvariant();
        if (f.EndsWith(".zip", StringComparison.Ordinal)) return ArchiveKind.Zip;
        if (f.EndsWith(".tar.gz", StringComparison.Ordinal) || f.EndsWith(".tgz", StringComparison.Ordinal)) return ArchiveKind.TarGz;
        if (f.EndsWith(".tar", StringComparison.Ordinal)) return ArchiveKind.Tar;
        return null;
    }

    /// <summary>Extracts <paramref name="archive"/> into the existing folder <paramref name="destination"/> (never overwriting).</summary>
    public static void Extract(string archive, string destination)
    {
        var leaf = Path.GetFileName(archive);
        var kind = KindOf(leaf) ?? throw new TinierHarException($"cannot extract {leaf}: only {Supported} archives are supported");
        try
        {
            switch (kind)
            {
                case ArchiveKind.Zip:
                    ZipFile.ExtractToDirectory(archive, destination, overwriteFiles: false);
                    break;
                case ArchiveKind.Tar:
                    TarFile.ExtractToDirectory(archive, destination, overwriteFiles: false);
                    break;
                case ArchiveKind.TarGz:
                    using (var file = File.OpenRead(archive))
                    using (var gz = new GZipStream(file, CompressionMode.Decompress))
                        TarFile.ExtractToDirectory(gz, destination, overwriteFiles: false);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException and not FileNotFoundException)
        {
            throw new TinierHarException($"cannot extract {leaf}: the archive is corrupt or truncated ({e.Message})");
        }
    }
}
