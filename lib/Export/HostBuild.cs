using System.Globalization;
using static TorchSharp.torch;

namespace TinierHar.Export;

/// <summary>
/// Builds and runs a C export on this machine with the system's <c>gcc</c>: a driver that reads windows (float32, one
/// after another) from a file and writes the logits to another, for checking an export against TorchSharp; and a
/// timing driver (<c>-O3 -march=native</c>, timed inside C with <c>clock_gettime</c>) for batch-1 latency.
/// </summary>
public static class HostBuild
{
    /// <summary>The checking driver of an export named <paramref name="prefix"/> (its header <c>{prefix}.h</c>).</summary>
    public static string Driver(string prefix)
    {
        var m = prefix.ToUpperInvariant();
        return $$"""
            /* Driver: reads windows (T*C float32 each) from argv[1], writes K float32 logits per window to argv[2]. */
            #include <stdio.h>
            #include "{{prefix}}.h"

            int main(int argc, char **argv)
            {
                static float window[{{m}}_WINDOW * {{m}}_CHANNELS];
                float logits[{{m}}_CLASSES];
                const size_t n_in = (size_t){{m}}_WINDOW * {{m}}_CHANNELS;
                FILE *in, *out;
                if (argc != 3) return 2;
                in = fopen(argv[1], "rb");
                out = fopen(argv[2], "wb");
                if (!in || !out) return 3;
                while (fread(window, sizeof(float), n_in, in) == n_in) {
                    {{prefix}}_predict(window, logits);
                    if (fwrite(logits, sizeof(float), {{m}}_CLASSES, out) != (size_t){{m}}_CLASSES) return 4;
                }
                fclose(in);
                return fclose(out) != 0 ? 5 : 0;
            }

            """;
    }

    /// <summary>The optimisation of the checking build: what the tests compile every export with.</summary>
    public static readonly IReadOnlyList<string> Portable = ["-O2"];

    /// <summary>The fastest build for this CPU: vector instructions of this machine, and float sums reassociated (so gcc
    /// vectorises the dot products); its logits are checked against TorchSharp too.</summary>
    public static readonly IReadOnlyList<string> Native = ["-O3", "-march=native", "-ffast-math"];

    /// <summary>
    /// Compiles the C pair <c>{prefix}.c/.h</c> in <paramref name="dir"/> with the checking driver
    /// (<c>gcc -std=c99 -Wall -Wextra -Werror</c>: the export must compile without a warning) and
    /// <paramref name="optimisation"/> (default <see cref="Portable"/>); returns the executable.
    /// </summary>
    public static string Compile(string dir, string prefix, IReadOnlyList<string>? optimisation = null)
    {
        optimisation ??= Portable;
        File.WriteAllText(Path.Combine(dir, "main.c"), Driver(prefix));
        var exe = Path.Combine(dir, $"{prefix}-check{string.Concat(optimisation).Replace("=", "").Replace("-", "_")}");
        Run("gcc", dir, ["-std=c99", .. optimisation, "-Wall", "-Wextra", "-Werror", "-o", exe, "main.c", prefix + ".c", "-lm"]);
        return exe;
    }

    /// <summary>Runs a driver from <see cref="Compile"/> on <paramref name="windows"/> (N,1,T,C); returns the (N,K) logits.</summary>
    public static Tensor Predict(string exe, Tensor windows, int classes)
    {
        var dir = Path.GetDirectoryName(exe)!;
        var inPath = Path.Combine(dir, "windows.bin");
        var outPath = Path.Combine(dir, "logits.bin");
        using (var c = windows.to_type(ScalarType.Float32).contiguous())
        {
            var data = c.data<float>().ToArray();
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(inPath, bytes);
        }
        Run(exe, dir, inPath, outPath);
        var raw = File.ReadAllBytes(outPath);
        long n = windows.shape[0];
        if (raw.Length != n * classes * sizeof(float))
            throw new TinierHarException($"{exe} wrote {raw.Length} bytes of logits, expected {n} windows x {classes} classes x 4");
        var flat = new float[n * classes];
        Buffer.BlockCopy(raw, 0, flat, 0, raw.Length);
        return tensor(flat, [n, classes]);
    }

    /// <summary>
    /// Batch-1 latency of the export in <paramref name="dir"/>: compiled with <paramref name="optimisation"/> (default
    /// <c>-O3 -march=native</c>, strict IEEE float) and a timing
    /// driver that runs one fixed pseudo-random window; the median over 7 blocks (each about
    /// <paramref name="blockSeconds"/>) of the mean time per call, in microseconds.
    /// </summary>
    public static double LatencyMicroseconds(string dir, string prefix, double blockSeconds = 0.3, IReadOnlyList<string>? optimisation = null)
    {
        optimisation ??= ["-O3", "-march=native"];
        var m = prefix.ToUpperInvariant();
        File.WriteAllText(Path.Combine(dir, "time.c"), $$"""
            /* Times {{prefix}}_predict on one fixed pseudo-random window; prints the median us per call over 7 blocks. */
            #define _POSIX_C_SOURCE 199309L
            #include <stdio.h>
            #include <time.h>
            #include "{{prefix}}.h"

            static double now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }

            int main(void)
            {
                static float window[{{m}}_WINDOW * {{m}}_CHANNELS];
                float logits[{{m}}_CLASSES];
                volatile float sink = 0.0f;
                double blocks[7], t0;
                unsigned s = 1u;
                long reps = 0, i;
                int b, j, k;
                for (i = 0; i < {{m}}_WINDOW * {{m}}_CHANNELS; i++) { s = s * 1103515245u + 12345u; window[i] = (float)((s >> 16) & 0x7fff) / 16384.0f - 1.0f; }
                for (i = 0; i < 20; i++) { {{prefix}}_predict(window, logits); sink += logits[0]; }
                t0 = now_us();
                while (now_us() - t0 < {{(blockSeconds * 1e6).ToString("R", CultureInfo.InvariantCulture)}}) { {{prefix}}_predict(window, logits); sink += logits[0]; reps++; }
                for (b = 0; b < 7; b++) {
                    t0 = now_us();
                    for (i = 0; i < reps; i++) { {{prefix}}_predict(window, logits); sink += logits[0]; }
                    blocks[b] = (now_us() - t0) / reps;
                }
                for (j = 1; j < 7; j++) for (k = j; k > 0 && blocks[k - 1] > blocks[k]; k--) { double t = blocks[k]; blocks[k] = blocks[k - 1]; blocks[k - 1] = t; }
                printf("%.3f\n", blocks[3]);
                return 0;
            }

            """);
        var exe = Path.Combine(dir, $"{prefix}-time{string.Concat(optimisation).Replace("=", "").Replace("-", "_")}");
        Run("gcc", dir, ["-std=c99", .. optimisation, "-o", exe, "time.c", prefix + ".c", "-lm"]);
        return double.Parse(Run(exe, dir).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Debian's package of the host compiler.</summary>
    const string GccInstall = "apt-get install -y gcc";

    static string Run(string file, string dir, params string[] args) => ExternalTool.Run(file, dir, TimeSpan.FromMinutes(10), GccInstall, args);
}
