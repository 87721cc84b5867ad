using System.Globalization;
using TinierHar.Data;
using TinierHar.Export;
using TinierHar.Models;
using TinierHar.Tests.Cli;
using TinierHar.Tests.Data;
using TinierHar.Training;
using TorchSharp;

namespace TinierHar.Tests.Export;

/// <summary>
/// The int8 C export (<c>tinierhar export --int8</c>; its macro F1 on the committed HAPT fold's real test windows
/// against float is <see cref="ExportEvaluationTests"/>): the bytes the exports declare against what gcc lays out; the quantiser on SYNTHETIC tensors; and the refusals (one line, nothing written).
/// Redirects the console and seeds the global RNG, hence the serial collection.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class Int8ExportTests
{
    internal static string HaptFold => Path.Combine(TestPaths.Repository, "results", "hapt", "tinierhar-full", "paper-seed1", "fold0");

    [Fact]
    public void Declared_bytes_are_what_gcc_lays_out()
    {
        torch.manual_seed(5);
        var spec = new ModelSpec(ModelCatalog.TinierHar);
        var shape = new InputShape(200, 6, 12);
        using var model = ModelCatalog.Create(spec, shape);
        var weights = TinierHarWeights.From(model, spec, shape);
        int blocks = weights.Blocks.Count;
        var calibration = new Int8Calibration(1, 3.0, [.. Enumerable.Repeat(2.0, blocks)], [.. Enumerable.Repeat(4.0, blocks)]); // SYNTHETIC ranges
        var dir = CHarness.TempDir("int8-bytes");
        try
        {
            foreach (var export in new[] { TinierHarCExporter.Export(weights, "seed 5"), TinierHarInt8CExporter.Export(weights, calibration, "seed 5") })
            {
                RunExport.WriteAtomically(dir, export.Files);
                var (rodata, bss, data) = Symbols(dir, export);
                Assert.Equal(export.WeightBytes, rodata);
                Assert.Equal(export.ActivationBytes, bss);
                Assert.Equal(0, data);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Quantiser_scales_per_row_rounds_half_away_from_zero_and_clamps()
    {
        // SYNTHETIC weights: row 0 has max |w| 127 (scale 1) and halves; row 1 is all zeros; row 2 is random.
        var random = new Random(3);
        float[] row2 = [.. Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        float[] w = [127f, 0.5f, -2.5f, 1.5f, 0f, 0f, 0f, 0f, .. row2];
        var q = Int8Quantizer.PerChannel(w, 3);
        Assert.Equal((3, 4), (q.Rows, q.Columns));
        Assert.Equal(1f, q.Scales[0]);
        Assert.Equal([127, 1, -3, 2], q.Values[..4].Select(v => (int)v));
        Assert.Equal(1f, q.Scales[1]);
        Assert.All(q.Values[4..8], v => Assert.Equal(0, v));
        Assert.Equal((float)(row2.Max(Math.Abs) / 127.0), q.Scales[2]);
        Assert.Contains(q.Values[8..], v => Math.Abs(v) == 127);
        for (int i = 0; i < 4; i++) Assert.True(Math.Abs(q.Values[8 + i] * q.Scales[2] - row2[i]) <= q.Scales[2] / 2 * 1.0001);

        Assert.Equal(127, Int8Quantizer.Quantize(300f, 1f));
        Assert.Equal(-127, Int8Quantizer.Quantize(-300f, 1f)); // never -128: the range is symmetric
        Assert.Equal(2f, Int8Quantizer.Scale(254));
        Assert.Equal(1f, Int8Quantizer.Scale(0));
        Assert.Throws<TinierHarException>(() => Int8Quantizer.PerChannel(w, 5));
    }

    [Fact]
    public void Calibration_subset_is_deterministic_and_spread()
    {
        Assert.Equal(Enumerable.Range(0, 10), Int8Calibration.Subset(10));
        Assert.Equal([0, 750, 1500, 2250], Int8Calibration.Subset(3000, 4));
        var large = Int8Calibration.Subset(5000);
        Assert.Equal(Int8Calibration.MaxWindows, large.Length);
        Assert.Equal(large.Order().Distinct(), large);
        Assert.True(large[^1] >= 5000 - 3);
    }

    [Fact]
    public void Int8_of_a_bare_checkpoint_is_refused_in_one_line()
    {
        var root = CHarness.TempDir("int8-ckpt");
        try
        {
            var outDir = Path.Combine(root, "c");
            var (code, stdout, err) = CliRunner.Run("export", "--checkpoint", Path.Combine(HaptFold, Trainer.BestFile), "--model", "tinierhar",
                "--dataset", "hapt", "--format", "c", "--int8", "--out", outDir);
            Assert.Equal((2, ""), (code, stdout));
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.Contains("--int8 needs --run RUN_DIR", err);
            (code, _, err) = CliRunner.Run("export", "--run", HaptFold, "--data", root, "--out", outDir);
            Assert.Equal(2, code);
            Assert.Contains("option --data: only read with --int8", err);
            Assert.Empty(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Int8_without_the_dataset_is_one_line_and_writes_nothing()
    {
        var root = CHarness.TempDir("int8-nodata");
        try
        {
            var (data, outDir) = (Path.Combine(root, "data"), Path.Combine(root, "c"));
            Directory.CreateDirectory(data);
            var (code, stdout, err) = CliRunner.Run("export", "--run", HaptFold, "--int8", "--data", data, "--cache", Path.Combine(root, "cache"), "--out", outDir);
            Assert.Equal((2, ""), (code, stdout));
            Assert.Single(err.TrimEnd().Split('\n'));
            Assert.Contains("dataset 'hapt'", err);
            Assert.Equal([data], Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Bytes of read-only, zero-initialised and initialised data symbols in <c>gcc -O0 -c</c> of the export (nm).</summary>
    static (long Rodata, long Bss, long Data) Symbols(string dir, CExport export)
    {
        var obj = Path.Combine(dir, export.Prefix + ".o");
        ExternalTool.Run("gcc", dir, TimeSpan.FromMinutes(5), "apt-get install gcc", "-std=c99", "-O0", "-Wall", "-Wextra", "-Werror", "-c", "-o", obj, export.SourceName);
        long rodata = 0, bss = 0, data = 0;
        foreach (var line in ExternalTool.Run("nm", dir, TimeSpan.FromMinutes(1), "apt-get install binutils", "-S", "--defined-only", obj).Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 4) continue; // symbols without a size (functions have one; labels do not matter)
            var size = long.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            switch (char.ToLowerInvariant(f[2][0]))
            {
                case 'r': rodata += size; break;
                case 'b': bss += size; break;
                case 'd': data += size; break;
            }
        }
        return (rodata, bss, data);
    }
}
