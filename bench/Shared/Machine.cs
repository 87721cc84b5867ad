namespace TinierHar.Bench;

/// <summary>What the benchmarks print about the machine they ran on.</summary>
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

    /// <summary>Collects garbage left by earlier work so it is not charged to the next measurement.</summary>
    public static void Settle() { GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); }
}
