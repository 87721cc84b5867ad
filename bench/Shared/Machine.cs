namespace TinierHar.Bench;

/// <summary>What the benchmarks share: the machine line they print, settling the GC, writing results.</summary>
internal static class Machine
{
    public static string CpuModel()
    {
        try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"; }
        catch (IOException) { return "unknown CPU"; }
    }

    public static string Config() =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>Writes a results file atomically (temp file, then rename) and says where.</summary>
    public static void WriteResults(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"wrote {path}");
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or "?".</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    /// <summary>Collects garbage left by earlier work so it is not charged to the next measurement.</summary>
    public static void Settle() { GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); }
}
