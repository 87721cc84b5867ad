using System.Globalization;

namespace TinierHar.Export;

/// <summary>
/// Runs a <see cref="CortexM4Build"/> image on QEMU's emulated Cortex-M4F board
/// (<c>qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native -kernel IMAGE</c>; the
/// program's printf reaches stdout and its exit ends QEMU) and reads the logits its driver prints.
/// </summary>
public static class CortexM4Qemu
{
    public const string Qemu = "qemu-system-arm";

    /// <summary>Runs <paramref name="elf"/>; returns one array of <paramref name="classes"/> logits per window, in order.</summary>
    public static float[][] Run(string elf, int classes, TimeSpan timeout)
    {
        var output = ExternalTool.Run(Qemu, Path.GetDirectoryName(elf)!, timeout, ExternalTool.ArmInstall,
            "-M", "mps2-an386", "-nographic", "-monitor", "none", "-semihosting-config", "enable=on,target=native", "-kernel", elf);
        var logits = new List<float[]>();
        foreach (var line in output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("logits ", StringComparison.Ordinal)))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 2 + classes || f[1] != logits.Count.ToString(CultureInfo.InvariantCulture))
                throw new TinierHarException($"{elf}: unexpected line '{line}' (expected 'logits {logits.Count}' and {classes} values)");
            logits.Add(f.Skip(2).Select(h => BitConverter.UInt32BitsToSingle(uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray());
        }
        if (logits.Count == 0) throw new TinierHarException($"{elf} printed no logits: '{output.Trim()}'");
        return logits.ToArray();
    }
}
