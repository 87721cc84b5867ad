using System.Security.Cryptography;

namespace TinierHar.Data.Download;

/// <summary>Checks a downloaded file against the manifest's SHA-256 (or prints its hash when the manifest pins none).</summary>
public static class Sha256Check
{
    /// <summary>The file's SHA-256 as 64 lower-case hex digits.</summary>
    public static string Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    }

    /// <summary>
    /// Verifies <paramref name="path"/> against <paramref name="expected"/>. On a mismatch a file the downloader made
    /// (<paramref name="owned"/>) is deleted, any other is left in place, and the message names both hashes.
    /// </summary>
    public static void Verify(string path, string? expected, bool owned, string label, Action<string> log)
    {
        var actual = Of(path);
        if (expected is null)
        {
            log($"[{label}] sha256 {actual} (the manifest pins no hash)");
            return;
        }
        if (actual != expected)
        {
            string fate = "the file was left in place";
            if (owned) { File.Delete(path); fate = "the file was deleted"; }
            throw new TinierHarException($"SHA-256 mismatch for {Path.GetFileName(path)}: expected {expected}, actual {actual}; {fate}");
        }
        log($"[{label}] sha256 verified");
    }
}
