using System.Runtime.InteropServices;

namespace TinierHar.Native;

/// <summary>
/// glibc heap settings for libtorch's CPU tensors, applied once by <see cref="TorchSetup.EnsureInitialized"/>.
/// <para>
/// libtorch's CPU allocator is plain <c>malloc</c>/<c>free</c>. With glibc's defaults every block above the (dynamic,
/// at most 32 MiB) mmap threshold is a fresh <c>mmap</c> and is unmapped again on free, and freed memory at the top of
/// the heap is trimmed back to the system: each training step then page-faults and zero-fills all of its large
/// activations and gradients anew. On the 2-core benchmark machine that made a DeepConvLSTM convolution ~6x slower
/// than its arithmetic (README, performance). This raises the mmap threshold to 1 GiB, keeps freed memory up to
/// 2 GiB instead of trimming it, and uses one arena so that blocks freed by any thread are reused by the next step
/// (the cost: the process keeps its peak heap). Linux with glibc only; elsewhere, or with
/// <c>TINIERHAR_MALLOC=default</c>, nothing changes.
/// </para>
/// </summary>
public static class NativeHeap
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_ARENA_MAX = -8;

    /// <summary>Largest block served from the heap rather than a fresh mapping (1 GiB).</summary>
    public const int MmapThreshold = 1 << 30;

    /// <summary>True once the settings are in effect for this process.</summary>
    public static bool Tuned { get; private set; }

    /// <summary>Why the settings were not applied (null when <see cref="Tuned"/>).</summary>
    public static string? NotTunedReason { get; private set; } = "not applied yet";

    internal static void Apply()
    {
        if (Tuned) return;
        if (Environment.GetEnvironmentVariable("TINIERHAR_MALLOC") == "default") { NotTunedReason = "TINIERHAR_MALLOC=default"; return; }
        if (!OperatingSystem.IsLinux()) { NotTunedReason = "not Linux"; return; }
        try
        {
            // mallopt returns 1 on success, 0 on a rejected value.
            bool ok = Glibc.mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1
                      & Glibc.mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1
                      & Glibc.mallopt(M_ARENA_MAX, 1) == 1;
            Tuned = ok;
            NotTunedReason = ok ? null : "glibc rejected a mallopt value";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            NotTunedReason = "no glibc mallopt";
        }
    }

    /// <summary>Number of blocks glibc currently serves as separate mappings (<c>mallinfo2().hblks</c>), or -1 when unknown.</summary>
    public static long MappedBlocks()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        try { return (long)Glibc.mallinfo2().hblks; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return -1; }
    }

    static class Glibc
    {
        [DllImport("libc.so.6")]
        public static extern int mallopt(int param, int value);

        [DllImport("libc.so.6")]
        public static extern MallInfo2 mallinfo2();
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }
}
